#!/usr/bin/env python3
"""FizzBuzz as a service (the websocketd talk's example 2): one number per line in, one answer out.

Served at /run/fizzbuzz by server-config/routes.example.json. Each answer is flushed at once: a pipe
is not a terminal, so Python would otherwise hold answers back in its output buffer.
"""
import sys


def fizzbuzz(n):
    if n % 15 == 0:
        return "FizzBuzz"
    if n % 3 == 0:
        return "Fizz"
    if n % 5 == 0:
        return "Buzz"
    return str(n)


for line in sys.stdin:
    try:
        n = int(line)
    except ValueError:
        print("error: cannot process input", flush=True)
        continue
    print(f"{n} => {fizzbuzz(n)}", flush=True)
