// The state store: where projections keep what the event log implies. Each projection
// has its own interface in this folder (projects and tokens, sessions and presence, room
// membership, room histories, gateways, offline inboxes, mail rate-limit windows,
// webhooks); StateStore is all of them, as the projector needs. Only the projector writes,
// one event at a time, in log order; readers take the one projection they read.
// Implementations: MemoryStore (embedded, this file's neighbour) and RedisStore
// (distributed mode), both checked by one contract suite (state_store_contract_test.cpp).
//
// Every method is a plain state operation: no clocks, no randomness, no policy. Policy
// (who may do what, what a client is told) lives in core/projector.cpp.
#pragma once

#include "store/inbox_store.h"
#include "store/mail_window_store.h"
#include "store/node_store.h"
#include "store/project_store.h"
#include "store/room_history_store.h"
#include "store/room_store.h"
#include "store/session_store.h"
#include "store/webhook_store.h"

namespace wsd::store {

// Every projection in one store: the projector writes them all, in one place, one event
// at a time. Readers that need one projection take that interface alone.
class StateStore : public ProjectStore,
                   public SessionStore,
                   public RoomStore,
                   public RoomHistoryStore,
                   public NodeStore,
                   public InboxStore,
                   public MailWindowStore,
                   public WebhookStore {};

}  // namespace wsd::store
