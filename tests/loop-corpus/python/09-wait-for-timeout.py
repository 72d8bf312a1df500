# wait_for cancels what is too slow and raises TimeoutError.
import asyncio


async def slow():
    try:
        await asyncio.sleep(10)
        print("never")
    except asyncio.CancelledError:
        print("slow was cancelled")
        raise


async def main():
    try:
        await asyncio.wait_for(slow(), timeout=0.5)
    except asyncio.TimeoutError:
        print("timed out")


asyncio.run(main())
