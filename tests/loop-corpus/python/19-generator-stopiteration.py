# next on a finished generator raises StopIteration; a for loop just ends.
def countdown(n):
    while n > 0:
        yield n
        n -= 1
    return "liftoff"


g = countdown(2)
print(next(g))
print(next(g))
try:
    next(g)
except StopIteration as e:
    print("stopped with", e.args)
for x in countdown(3):
    print("for", x)
