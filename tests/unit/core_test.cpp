// Tests of src/core: the error table, time formatting, settings, encryption of personal data.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/crypto.hpp"
#include "core/error.hpp"
#include "core/field_cipher.hpp"

using namespace gridgov;

TEST(ErrorTable, EveryCodeHasAUniqueNameAndAnErrorStatus) {
    std::set<std::string_view> names;
    for (const auto& info : error_table()) {
        EXPECT_TRUE(names.insert(info.name).second) << info.name;
        EXPECT_GE(info.http_status, 400) << info.name;
        EXPECT_LE(info.http_status, 599) << info.name;
        EXPECT_FALSE(info.message.empty()) << info.name;
    }
    EXPECT_EQ(error_info(ErrorCode::version_conflict).http_status, 409);
    EXPECT_EQ(error_info(ErrorCode::method_not_allowed).http_status, 405);
}

TEST(ErrorTable, ErrorCarriesFieldAndDefaultMessage) {
    const Error e(ErrorCode::missing_field, {}, "login");
    EXPECT_EQ(e.field(), "login");
    EXPECT_EQ(e.http_status(), 400);
    EXPECT_EQ(std::string(e.what()), std::string(error_info(ErrorCode::missing_field).message));
}

TEST(FieldCipherTest, LookupHashesAreKeyedAndStable) {
    std::array<unsigned char, FieldCipher::kKeyBytes> one{}, two{};
    two[0] = 1;
    const FieldCipher a(one), b(two);
    EXPECT_EQ(a.lookup_hash("320115199003071230"), a.lookup_hash("320115199003071230"));
    EXPECT_EQ(a.lookup_hash("320115199003071230").size(), 64u);
    EXPECT_NE(a.lookup_hash("320115199003071230"), a.lookup_hash("320115199003071231"));
    EXPECT_NE(a.lookup_hash("320115199003071230"), b.lookup_hash("320115199003071230"));
    EXPECT_NE(a.lookup_hash("320115199003071230"), sha256_hex("320115199003071230"));
}

TEST(Crypto, HmacSha256MatchesRfc4231) {
    // RFC 4231, test case 2
    EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Clock, FormatsW3cTimesAtAnOffset) {
    const Millis t = *parse_rfc3339("2026-12-31T16:30:05.900Z");
    EXPECT_EQ(format_w3c(t, 8 * 60), "2027-01-01T00:30:05+08:00");  // the next day in China
    EXPECT_EQ(format_w3c(t, -5 * 60), "2026-12-31T11:30:05-05:00");
    EXPECT_EQ(format_w3c(t, 0), "2026-12-31T16:30:05+00:00");
    EXPECT_EQ(parse_rfc3339(format_w3c(t, 8 * 60)), t - 900);
}

TEST(Clock, FormatsAndParsesRfc3339) {
    EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
    const Millis t = 1795000000123;
    EXPECT_EQ(parse_rfc3339(format_rfc3339(t)), t);
    EXPECT_EQ(parse_rfc3339("2026-11-22T15:30:00+08:00"), parse_rfc3339("2026-11-22T07:30:00Z"));
    EXPECT_EQ(parse_rfc3339("2024-02-29T00:00:00.5Z"), parse_rfc3339("2024-02-29T00:00:00.500Z"));
}

TEST(Clock, RejectsMalformedTimes) {
    for (const char* bad :
         {"", "2026-11-22", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-22T25:00:00Z",
          "2026-11-22T10:00:00", "2026-11-22T10:00:00Zjunk", "2026-11-22T10:00:00.Z",
          "2026-11-22T10:00:00+8:00"}) {
        EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
    }
}

TEST(Clock, ManualClockAdvances) {
    ManualClock c(1000);
    c.advance(kMinute);
    EXPECT_EQ(c.now(), 1000 + kMinute);
}

class SettingsTest : public ::testing::Test {
  protected:
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("gridgov-settings-" + random_token(6));
    void SetUp() override { std::filesystem::create_directories(dir); }
    void TearDown() override { std::filesystem::remove_all(dir); }
    std::string write(const std::string& text) {
        const auto path = dir / "gridgov.toml";
        std::ofstream(path) << text;
        return path.string();
    }
    static EnvLookup env(std::map<std::string, std::string> vars) {
        return [vars](const std::string& name) -> std::optional<std::string> {
            auto it = vars.find(name);
            if (it == vars.end()) return std::nullopt;
            return it->second;
        };
    }
};

TEST_F(SettingsTest, DefaultsFileEnvironmentFlagsInThatOrder) {
    const Settings defaults = load_settings("", env({}), {});
    EXPECT_EQ(defaults.port, 8080);
    EXPECT_EQ(defaults.session_idle_min, 30u);
    const auto file =
        write("[http]\nport = 9001\nthreads = 3\n[database]\nurl = \"sqlite:x.db\"\n");
    Settings s = load_settings(file, env({}), {});
    EXPECT_EQ(s.port, 9001);
    EXPECT_EQ(s.threads, 3u);
    EXPECT_EQ(s.database, "sqlite:x.db");
    s = load_settings(file, env({{"GRIDGOV_HTTP_PORT", "9002"}}), {});
    EXPECT_EQ(s.port, 9002);
    EXPECT_EQ(s.threads, 3u);
    s = load_settings(file, env({{"GRIDGOV_HTTP_PORT", "9002"}}), {{"http.port", "9003"}});
    EXPECT_EQ(s.port, 9003);
}

TEST_F(SettingsTest, BadValuesNameTheSetting) {
    try {
        load_settings("", env({{"GRIDGOV_HTTP_PORT", "70000"}}), {});
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_field);
        EXPECT_EQ(e.field(), "http.port");
    }
    EXPECT_THROW(load_settings("", env({}), {{"session.cookie_secure", "maybe"}}), Error);
    EXPECT_THROW(load_settings("", env({}), {{"http.threads", "two"}}), Error);
}

TEST_F(SettingsTest, UnknownKeysAndBrokenFilesAreErrors) {
    try {
        load_settings(write("[http]\nprot = 1\n"), env({}), {});
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::unknown_field);
        EXPECT_EQ(e.field(), "http.prot");
    }
    EXPECT_THROW(load_settings(write("[http\nport = 1\n"), env({}), {}), Error);
    EXPECT_THROW(load_settings(write("port = 1\n"), env({}), {}), Error);
}

TEST(Crypto, TokensAreRandomAndUrlSafe) {
    const auto a = random_token(32), b = random_token(32);
    EXPECT_EQ(a.size(), 43u);
    EXPECT_NE(a, b);
    EXPECT_EQ(a.find_first_of("+/="), std::string::npos);
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(FieldCipher, RoundTripsAndDetectsTampering) {
    std::array<unsigned char, FieldCipher::kKeyBytes> key{};
    key.fill(7);
    const FieldCipher cipher(key);
    const auto sealed = cipher.encrypt("13851000001");
    EXPECT_EQ(sealed.find("13851000001"), std::string::npos);
    EXPECT_NE(sealed, cipher.encrypt("13851000001"));  // random nonce
    EXPECT_EQ(cipher.decrypt(sealed), "13851000001");
    std::string tampered = sealed;
    tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
    EXPECT_THROW(cipher.decrypt(tampered), Error);
    key.fill(8);
    EXPECT_THROW(FieldCipher(key).decrypt(sealed), Error);
}

TEST(FieldCipher, KeyFileIsCreatedPrivateAndReadBack) {
    const auto path = std::filesystem::temp_directory_path() / ("gridgov-key-" + random_token(6));
    const auto first = FieldCipher::from_key_file(path.string());
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600);
    const auto second = FieldCipher::from_key_file(path.string());
    EXPECT_EQ(second.decrypt(first.encrypt("320115199001011234")), "320115199001011234");
    std::ofstream(path) << "not a key\n";
    EXPECT_THROW(FieldCipher::from_key_file(path.string()), Error);
    std::filesystem::remove(path);
}

TEST(FieldCipher, MasksPhones) {
    EXPECT_EQ(mask_phone("13851000001"), "138****0001");
    EXPECT_EQ(mask_phone("025-5201234"), "025****1234");
    EXPECT_EQ(mask_phone("1234"), "****");
    EXPECT_EQ(mask_phone(""), "");
}
