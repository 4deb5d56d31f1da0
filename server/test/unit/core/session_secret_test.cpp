// Session secrets: the connId is a one-way function of the secret, so a connId proves
// nothing and a secret proves exactly its own session.
#include "core/session_secret.h"

#include <gtest/gtest.h>

#include <set>

namespace wsd {
namespace {

TEST(SessionSecret, NewKeysAreFreshAndTheConnIdIsTheSecretsName) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto keys = newSessionKeys();
    EXPECT_EQ(keys.secret.size(), 32u);
    EXPECT_EQ(keys.conn.size(), 32u);
    EXPECT_NE(keys.conn, keys.secret);
    EXPECT_EQ(connIdOf(keys.secret), keys.conn);
    EXPECT_TRUE(seen.insert(keys.secret).second);
  }
}

TEST(SessionSecret, OnlyTheSecretProvesItsSession) {
  auto keys = newSessionKeys();
  auto other = newSessionKeys();
  EXPECT_TRUE(provesSession(keys.secret, keys.conn));
  EXPECT_FALSE(provesSession(keys.conn, keys.conn));  // the public id is no proof
  EXPECT_FALSE(provesSession(other.secret, keys.conn));
  EXPECT_FALSE(provesSession("", keys.conn));
  EXPECT_FALSE(provesSession(keys.secret, ""));
  EXPECT_FALSE(provesSession(keys.secret, keys.conn.substr(1)));
}

TEST(SessionSecret, TheNameOfASecretIsStable) {
  // Gateways derive connIds alike: a secret names the same session everywhere.
  EXPECT_EQ(connIdOf("00000000000000000000000000000000"), connIdOf("00000000000000000000000000000000"));
  EXPECT_NE(connIdOf("00000000000000000000000000000000"), connIdOf("00000000000000000000000000000001"));
}

}  // namespace
}  // namespace wsd
