// Session secrets: what proves that a request acting on an SSE or polling session comes
// from the client that opened it.
//
// A session's connId is public: presence and admin events, webhooks, SSE `id:` lines and
// proxy logs all carry it. So the connId is derived from a secret by a one-way function
// (the first 128 bits of SHA-256), and the secret goes only to the session's own client
// (its `connected` message and the `wsd_conn` cookie). Whoever shows the secret owns the
// session; the connId alone proves nothing, and a secret names its session by itself,
// which is how a request with only the cookie (a same-origin `fetch('/sse', {method:
// 'POST'})`) finds its session on any gateway without a lookup table.
//
// Threads: any (no state).
#pragma once

#include <string>
#include <string_view>

namespace wsd {

struct SessionKeys {
  std::string conn;    // public: 32 lowercase hex characters
  std::string secret;  // private: 32 lowercase hex characters (128 random bits)
};

// A fresh secret from the OS entropy source and the connId it names.
SessionKeys newSessionKeys();
// The connId `secret` names. Any string names some connId; only the true secret names a
// live session's.
std::string connIdOf(std::string_view secret);
// Whether `secret` is the secret of session `conn`; compares in constant time.
bool provesSession(std::string_view secret, std::string_view conn);

}  // namespace wsd
