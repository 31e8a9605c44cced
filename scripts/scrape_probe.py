"""One timed scrape as Prometheus's Go client makes it, shared by scripts/auth-flood.py and
scripts/slowloris.py: a request that fails on a kept-alive connection before any answer (the
server closed it meanwhile) is retried once on a new connection."""
import http.client
import time


def timed_get(conn, connect, path, headers):
    """GET `path` on `conn` (None: a new one from `connect()`); returns (status or "error X",
    milliseconds, the connection to reuse or None)."""
    began, status = time.monotonic(), None
    for _ in range(2):
        reused = conn is not None
        try:
            if conn is None:
                conn = connect()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
            break
        except (OSError, http.client.HTTPException) as error:
            status = f"error {type(error).__name__}"
            if conn is not None:
                conn.close()
            conn = None
            if not reused:
                break
    return status, (time.monotonic() - began) * 1000, conn
