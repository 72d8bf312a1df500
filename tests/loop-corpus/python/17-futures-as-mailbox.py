# A producer hands values to a consumer through futures.
import asyncio


async def producer(boxes):
    i = 0
    for box in boxes:
        await asyncio.sleep(0.2)
        print("produced", i)
        box.set_result(i * i)
        i += 1


async def consumer(boxes):
    for box in boxes:
        value = await box
        print("consumed", value)


async def main():
    loop = asyncio.get_running_loop()
    boxes = [loop.create_future() for _ in range(3)]
    await asyncio.gather(producer(boxes), consumer(boxes))


asyncio.run(main())
