// Outcomes as values: every fallible call at a layer boundary returns a Result<T>
// (or a Status, a Result with no value), never throws on the data path.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace wsd {

// An error that crosses a boundary: `code` is stable and machine-readable (the
// client-visible codes are listed in docs/protocol.md), `message` is for humans.
struct Error {
  std::string code;
  std::string message;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const Error& error() const { return std::get<Error>(state_); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> state_;
};

struct Ok {};
using Status = Result<Ok>;

inline Status okStatus() { return Ok{}; }
inline Error makeError(std::string code, std::string message) { return Error{std::move(code), std::move(message)}; }

}  // namespace wsd
