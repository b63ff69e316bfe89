#!/bin/sh
# A conversation with a program, using the CGI variables every route's program receives.
# Client input is only ever data here: printf '%s' never interprets it.
echo "Hello from ${SERVER_SOFTWARE:-a server}; you are ${REMOTE_ADDR}:${REMOTE_PORT}. What is your name?"
while IFS= read -r name; do
  if [ -z "$name" ]; then
    echo "error: an empty name; try again"
  else
    printf 'Nice to meet you, %s!\n' "$name"
  fi
done
