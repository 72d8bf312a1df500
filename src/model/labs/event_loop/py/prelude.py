# asyncio's Python-level functions, as CPython 3.11 writes them (asyncio/tasks.py and
# asyncio/runners.py), trimmed to the subset. The loop, futures and tasks are the model's
# own (CPython writes those in C: _asyncio); everything here runs as ordinary model code,
# so its calls and callbacks cost the same loop iterations as in CPython.


def ensure_future(coro_or_future):
    if _is_future(coro_or_future):
        return coro_or_future
    return _event_loop().create_task(coro_or_future)


def create_task(coro, name=None):
    return _get_running_loop().create_task(coro, name)


def _set_result_unless_cancelled(fut, result):
    if fut.cancelled():
        return
    fut.set_result(result)


async def sleep(delay, result=None):
    if delay <= 0:
        await _yield_once()
        return result
    loop = _get_running_loop()
    future = loop.create_future()
    h = loop.call_later(delay, _set_result_unless_cancelled, future, result)
    try:
        return await future
    finally:
        h.cancel()


def gather(*coros_or_futures, return_exceptions=False):
    if not coros_or_futures:
        outer = _get_running_loop().create_future()
        outer.set_result([])
        return outer
    children = []
    nfuts = 0
    nfinished = 0
    outer = None

    def _done_callback(fut):
        nonlocal nfinished
        nfinished += 1
        if outer is None or outer.done():
            return
        if not return_exceptions:
            if fut.cancelled():
                outer.set_exception(CancelledError())
                return
            exc = fut.exception()
            if exc is not None:
                outer.set_exception(exc)
                return
        if nfinished == nfuts:
            results = []
            for fut in children:
                if fut.cancelled():
                    res = CancelledError()
                else:
                    res = fut.exception()
                    if res is None:
                        res = fut.result()
                results.append(res)
            outer.set_result(results)

    seen = []
    for arg in coros_or_futures:
        if arg not in seen:
            fut = ensure_future(arg)
            nfuts += 1
            seen.append(arg)
            children.append(fut)
            fut.add_done_callback(_done_callback)
        else:
            children.append(children[seen.index(arg)])
    outer = _event_loop().create_future()
    return outer


def _release_waiter(waiter, *args):
    if not waiter.done():
        waiter.set_result(None)


async def _cancel_and_wait(fut):
    waiter = _get_running_loop().create_future()
    cb = lambda f: _release_waiter(waiter)
    fut.add_done_callback(cb)
    try:
        fut.cancel()
        await waiter
    finally:
        fut.remove_done_callback(cb)


async def wait_for(fut, timeout):
    loop = _get_running_loop()
    if timeout is None:
        return await fut
    if timeout <= 0:
        fut = ensure_future(fut)
        if fut.done():
            return fut.result()
        await _cancel_and_wait(fut)
        try:
            return fut.result()
        except CancelledError:
            raise TimeoutError()
    waiter = loop.create_future()
    timeout_handle = loop.call_later(timeout, _release_waiter, waiter)
    cb = lambda f: _release_waiter(waiter)
    fut = ensure_future(fut)
    fut.add_done_callback(cb)
    try:
        try:
            await waiter
        except CancelledError:
            if fut.done():
                return fut.result()
            else:
                fut.remove_done_callback(cb)
                await _cancel_and_wait(fut)
                raise
        if fut.done():
            return fut.result()
        else:
            fut.remove_done_callback(cb)
            await _cancel_and_wait(fut)
            try:
                return fut.result()
            except CancelledError:
                raise TimeoutError()
    finally:
        timeout_handle.cancel()


def _cancel_all_tasks(loop):
    to_cancel = _all_tasks()
    if not to_cancel:
        return
    for task in to_cancel:
        task.cancel()
    loop.run_until_complete(gather(*to_cancel, return_exceptions=True))


async def _shutdown():
    return None


def run(main):
    loop = _new_event_loop()
    try:
        task = loop.create_task(main)
        return loop.run_until_complete(task)
    finally:
        _cancel_all_tasks(loop)
        # shutdown_asyncgens and shutdown_default_executor: each a task run to completion.
        loop.run_until_complete(loop.create_task(_shutdown()))
        loop.run_until_complete(loop.create_task(_shutdown()))
        _close_event_loop()
