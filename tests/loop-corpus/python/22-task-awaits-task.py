# A task can await another task; results and done callbacks follow.
import asyncio


async def fetch():
    await asyncio.sleep(0.2)
    return "data"


async def process(fetch_task):
    data = await fetch_task
    print("processing", data)
    return data.upper()


async def main():
    f = asyncio.create_task(fetch())
    p = asyncio.create_task(process(f))
    p.add_done_callback(lambda t: print("done callback:", t.result()))
    print(await p)
    print(f.done(), p.done(), f.result())
    await asyncio.sleep(0)


asyncio.run(main())
