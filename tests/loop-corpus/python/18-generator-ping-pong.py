# The notes' producer / consumer with a generator: send passes control and a value.
def consumer():
    r = ""
    while True:
        n = yield r
        if not n:
            return
        print(f"[CONSUMER] Consuming {n}...")
        r = "200 OK"


def produce(c):
    c.send(None)
    n = 0
    while n < 3:
        n = n + 1
        print(f"[PRODUCER] Producing {n}...")
        r = c.send(n)
        print(f"[PRODUCER] Consumer return: {r}")


produce(consumer())
