# The Python websockets lecture's "WebSocket Client (3)" (broadcasting to all clients), as printed.
# TickerIT runs it with the URL replaced by the deployment's /ticker, and stops it after a few lines.
import asyncio
import websockets

 
async def handle():
    async with websockets.connect('ws://localhost:50001') as websocket:
        while True:
            msg = await websocket.recv()
            print("Received: {}".format(msg))

asyncio.get_event_loop().run_until_complete(handle())
