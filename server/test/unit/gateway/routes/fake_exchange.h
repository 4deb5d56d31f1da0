// An HTTP exchange with no connection behind it, for route tests: it records what it was
// answered, now and later.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "gateway/routes/http_exchange.h"

namespace wsd::testing {

// Answers given later, in the order given, with the request each named.
class RecordedAnswers : public LaterAnswers {
 public:
  void answer(std::uint64_t exchange, HttpResponse response) override {
    given.emplace_back(exchange, std::move(response));
  }
  std::vector<std::pair<std::uint64_t, HttpResponse>> given;
};

class FakeExchange : public HttpExchange {
 public:
  FakeExchange(std::string method, std::string path, std::uint64_t id = 1) : id_(id) {
    request_.method = std::move(method);
    request_.path = std::move(path);
  }

  const HttpRequest& request() const override { return request_; }
  int answer(const HttpResponse& response) override {
    answeredNow.push_back(response);
    return 0;
  }
  std::uint64_t id() const override { return id_; }
  LaterAnswers& later() override { return answeredLater; }
  lws* connection() override { return nullptr; }
  HttpState& state() override {
    ADD_FAILURE() << "a route without a connection asked for its state";
    std::terminate();
  }

  HttpRequest& mutableRequest() { return request_; }

  std::vector<HttpResponse> answeredNow;
  RecordedAnswers answeredLater;

 private:
  HttpRequest request_;
  std::uint64_t id_;
};

}  // namespace wsd::testing
