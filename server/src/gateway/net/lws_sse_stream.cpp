#include "gateway/net/lws_sse_stream.h"

#include "gateway/net/http.h"

namespace wsd {

bool LwsSseStream::write(std::string_view chunk) { return writeStreamChunk(wsi_, chunk) == 0; }

bool LwsSseStream::peerHungUp() { return wsd::peerHungUp(wsi_); }

void LwsSseStream::closeSoon() { wsd::closeSoon(wsi_); }

}  // namespace wsd
