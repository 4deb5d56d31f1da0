// How code outside net/ names a connection: by libwebsockets' `lws*`, declared here
// without libwebsockets' header. Outside net/ such a pointer is only kept, compared and
// handed back to net/ (http.h: answer, hold open, ask to write, close); nothing there
// dereferences it or calls libwebsockets, so routes/, cluster/ and sessions/ build
// without it.
#pragma once

struct lws;
