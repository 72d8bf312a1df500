# The notes' first coroutine: one await of a sleep inside another coroutine.
import asyncio


async def compute(x, y):
    print(f"Compute {x} + {y} ...")
    await asyncio.sleep(1.0)
    return x + y


async def print_sum(x, y):
    result = await compute(x, y)
    print(f"{x} + {y} = {result}")


print("start")
asyncio.run(print_sum(1, 2))
print("end")
