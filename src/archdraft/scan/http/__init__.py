"""HTTP structure of a backend: routes with their full paths, middleware in order, and
which routes require authentication. Each language's extractor records what one file
declares (``FileHttp``); ``resolve`` joins the files into the mount graph."""
