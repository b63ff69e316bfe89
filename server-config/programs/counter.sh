#!/bin/sh
# Server push from a program: counts to 10, one number every half second, then exits with status 0,
# which closes the WebSocket with 1000. websocketd's classic count.sh.
i=1
while [ "$i" -le 10 ]; do
  echo "$i"
  i=$((i + 1))
  sleep 0.5
done
