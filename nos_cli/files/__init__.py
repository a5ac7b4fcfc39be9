"""Files as the user would want them handled: reading a path safely (read), writing atomically through links
with modes and owners kept (write), editing under a lock (lock), and the standard streams (streams)."""
