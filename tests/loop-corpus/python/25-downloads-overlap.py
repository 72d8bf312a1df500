# The notes' downloads: three waits overlap on one thread.
import asyncio


async def download(url, seconds):
    print(f"start {url}")
    await asyncio.sleep(seconds)
    print(f"done {url} after {seconds}s")
    return len(url)


async def main():
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    sizes = await asyncio.gather(
        download("a.example", 1.0),
        download("bb.example", 1.5),
        download("ccc.example", 0.5),
    )
    print(sizes, "in", round(loop.time() - t0, 1), "s")


asyncio.run(main())
