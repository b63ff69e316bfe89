# The Python websockets lecture's "A WebSocket Client (1)", as printed (../shared/seeds, the lecture on
# Python websockets). HelloIT runs it with the URL replaced by the deployment's /hello; nothing else changes.
import asyncio
import websockets

async def hello():
    async with websockets.connect('ws://localhost:50001') as websocket:
        name = 'Albert'
        await websocket.send(name)
        print("Sent: {}".format(name))

        msg = await websocket.recv()
        print("Received: {}".format(msg))

asyncio.get_event_loop().run_until_complete(hello())
