// Project settings: how a patch changes them, which secrets are valid when, and the
// stored form a state store keeps.
#include "store/project_settings.h"

#include <gtest/gtest.h>

namespace wsd::store {
namespace {

rapidjson::Document parsed(const char* text) {
  rapidjson::Document doc;
  json::parse(doc, text);
  return doc;
}

TEST(ProjectSettings, APatchChangesOnlyTheFieldsItNames) {
  ProjectSettings settings;
  settings.maxConnections = 5;
  settings.apply(parsed(R"({"signedBind":true,"offlineDelivery":"at_least_once"})"));
  EXPECT_TRUE(settings.signedBind);
  EXPECT_TRUE(settings.offlineAtLeastOnce);
  EXPECT_EQ(settings.maxConnections, 5);
  settings.apply(parsed(R"({"allowedOrigins":["https://a.example"],"offlineDelivery":"at_most_once"})"));
  EXPECT_EQ(settings.allowedOrigins, std::vector<std::string>{"https://a.example"});
  EXPECT_FALSE(settings.offlineAtLeastOnce);
  EXPECT_TRUE(settings.signedBind);
}

TEST(ProjectSettings, ARotatedOutSecretIsValidUntilItsTime) {
  ProjectSettings settings;
  settings.secrets = {{"new", 100, std::nullopt}, {"old", 50, 200}};
  EXPECT_TRUE(settings.secretValidAt("new", 150));
  EXPECT_TRUE(settings.secretValidAt("old", 199));
  EXPECT_FALSE(settings.secretValidAt("old", 200));
  EXPECT_FALSE(settings.secretValidAt("ne", 150));
  EXPECT_FALSE(settings.secretValidAt("", 150));
  EXPECT_EQ(settings.validSecrets(250), std::vector<std::string>{"new"});
}

TEST(ProjectSettings, NoSecretMeansNothingIsValid) {
  ProjectSettings settings;
  EXPECT_FALSE(settings.secretValidAt("", 0));
}

TEST(ProjectSettings, TheStoredFormKeepsEverythingAndThePublicOneHidesSecrets) {
  ProjectSettings settings;
  settings.signedBind = true;
  settings.maxConnections = 3;
  settings.secrets = {{"s3cr3t", 100, std::nullopt}};
  rapidjson::StringBuffer stored;
  json::Writer storedWriter(stored);
  settings.writeStored(storedWriter);
  auto back = ProjectSettings::readStored(parsed(stored.GetString()));
  EXPECT_TRUE(back.signedBind);
  EXPECT_EQ(back.maxConnections, 3);
  ASSERT_EQ(back.secrets.size(), 1u);
  EXPECT_EQ(back.secrets[0].secret, "s3cr3t");

  rapidjson::StringBuffer shown;
  json::Writer shownWriter(shown);
  settings.writePublic(shownWriter, 150);
  const std::string text = shown.GetString();
  EXPECT_EQ(text.find("s3cr3t"), std::string::npos);
  EXPECT_NE(text.find(R"("hasSecret":true)"), std::string::npos);
  EXPECT_NE(text.find(R"("offlineDelivery":"at_most_once")"), std::string::npos);
}

}  // namespace
}  // namespace wsd::store
