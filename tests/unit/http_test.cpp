// Tests of the HTTP layer's parts that need no socket: routing, strict JSON bodies, static files,
// and the OpenAPI document against the router (so the two cannot drift apart).
#include <gtest/gtest.h>
#include <zlib.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/crypto.hpp"
#include "core/error.hpp"
#include "geo/gis_files.hpp"
#include "http/app.hpp"
#include "http/compression.hpp"
#include "http/json_body.hpp"
#include "http/rate_limiter.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "http/table_response.hpp"
#include "http/xlsx_table.hpp"
#include "registry/csv_table.hpp"
#include "support/test_databases.hpp"

using namespace gridgov;
using gridgov::test_support::code_of;
using namespace gridgov::http;

namespace {

Request request(std::string method, std::vector<std::string> segments) {
    Request r;
    r.method = std::move(method);
    r.segments = std::move(segments);
    return r;
}

Request json_request(std::string body, std::string type = "application/json") {
    Request r;
    r.method = "POST";
    r.body = std::move(body);
    r.headers.emplace_back("content-type", std::move(type));
    return r;
}

// The bytes of a gzip member, inflated again.
std::string gunzip(const std::string& packed) {
    z_stream z{};
    EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
    std::string out(1 << 20, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    z.avail_in = static_cast<uInt>(packed.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    inflateEnd(&z);
    return out;
}

Request accepting(std::string encodings, std::vector<std::string> segments = {}) {
    Request r = request("GET", std::move(segments));
    r.headers.emplace_back("accept-encoding", std::move(encodings));
    return r;
}

std::string header_of(const Response& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
        if (n == name) return v;
    return {};
}

}  // namespace

TEST(Compression, ReadsAcceptEncodingAndItsWeights) {
    EXPECT_TRUE(accepts_gzip(accepting("gzip, deflate, br")));
    EXPECT_TRUE(accepts_gzip(accepting("br;q=1.0, GZIP;q=0.5")));
    EXPECT_TRUE(accepts_gzip(accepting("*")));
    EXPECT_FALSE(accepts_gzip(accepting("br")));
    EXPECT_FALSE(accepts_gzip(accepting("gzip;q=0")));
    EXPECT_FALSE(accepts_gzip(accepting("deflate, gzip; q=0.000")));
    EXPECT_FALSE(accepts_gzip(accepting("")));
    EXPECT_FALSE(accepts_gzip(request("GET", {})));
}

TEST(Compression, CompressesWhatIsWorthItAndLeavesVersionsAlone) {
    std::string json = "[";
    for (int i = 0; i < 2000; ++i) json += R"({"node_id":32011500501,"status":"closed"},)";
    json += "{}]";
    const auto made = [&](std::string type, std::string body) {
        Response r;
        r.body = std::move(body);
        r.set_header("Content-Type", std::move(type));
        return r;
    };
    auto r = made("application/json", json);
    compress_response(accepting("gzip, deflate"), r);
    EXPECT_EQ(header_of(r, "Content-Encoding"), "gzip");
    EXPECT_EQ(header_of(r, "Vary"), "Accept-Encoding");
    EXPECT_LT(r.body.size(), json.size() / 5);
    EXPECT_EQ(gunzip(r.body), json);
    // not asked for, too small, not compressible, or a version compared by If-Match
    auto plain = made("application/json", json);
    compress_response(accepting("br"), plain);
    EXPECT_EQ(plain.body, json);
    EXPECT_EQ(header_of(plain, "Vary"), "Accept-Encoding");
    auto small = made("application/json", R"({"ok":true})");
    compress_response(accepting("gzip"), small);
    EXPECT_EQ(small.body, R"({"ok":true})");
    auto photo = made("image/jpeg", json);
    compress_response(accepting("gzip"), photo);
    EXPECT_EQ(photo.body, json);
    EXPECT_EQ(header_of(photo, "Vary"), "");
    auto record = made("application/json", json);
    record.set_header("ETag", "\"v3\"");
    compress_response(accepting("gzip"), record);
    EXPECT_EQ(record.body, json);
    EXPECT_EQ(header_of(record, "Content-Encoding"), "");
}

TEST(Router, MatchesPathParametersAndMethods) {
    Router router;
    router.add("GET", "/api/v1/users/{id}", Access::authenticated,
               [](Request&) { return Response{}; });
    router.add("PATCH", "/api/v1/users/{id}", Access::authenticated,
               [](Request&) { return Response{}; });
    router.add("GET", "/api/v1/users", Access::authenticated, [](Request&) { return Response{}; });
    Request r = request("PATCH", {"api", "v1", "users", "42"});
    auto m = router.match(r);
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->method, "PATCH");
    EXPECT_EQ(r.params.at("id"), "42");
    Request head = request("HEAD", {"api", "v1", "users"});
    EXPECT_NE(router.match(head).route, nullptr);
    Request del = request("DELETE", {"api", "v1", "users", "42"});
    m = router.match(del);
    EXPECT_EQ(m.route, nullptr);
    EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "PATCH"}));
    Request missing = request("GET", {"api", "v1", "users", "42", "extra"});
    m = router.match(missing);
    EXPECT_EQ(m.route, nullptr);
    EXPECT_TRUE(m.allowed.empty());
}

TEST(Router, PrefersLiteralSegmentsOverParameters) {
    Router router;
    router.add(
        "GET", "/api/v1/people/{id}", Access::authenticated, [](Request&) { return Response{}; },
        "one");
    router.add(
        "GET", "/api/v1/people/duplicates", Access::authenticated,
        [](Request&) { return Response{}; }, "duplicates");
    Request literal = request("GET", {"api", "v1", "people", "duplicates"});
    auto m = router.match(literal);
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->summary, "duplicates");
    EXPECT_TRUE(literal.params.empty());
    Request id = request("GET", {"api", "v1", "people", "7"});
    m = router.match(id);
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->summary, "one");
    EXPECT_EQ(id.params.at("id"), "7");
}

TEST(JsonBody, IsStrictAboutTypeFieldsAndTypes) {
    EXPECT_EQ(code_of([] { JsonBody(json_request("{}", "text/plain"), {}); }),
              ErrorCode::unsupported_media_type);
    EXPECT_EQ(code_of([] { JsonBody(json_request("{\"a\":"), {"a"}); }), ErrorCode::malformed_json);
    EXPECT_EQ(code_of([] { JsonBody(json_request("[1]"), {"a"}); }), ErrorCode::malformed_json);
    EXPECT_EQ(code_of([] { JsonBody(json_request("{\"b\":1}"), {"a"}); }),
              ErrorCode::unknown_field);
    EXPECT_EQ(code_of([] { JsonBody(json_request("{\"a\":1}"), {"a"}).string("a"); }),
              ErrorCode::invalid_field);
    EXPECT_EQ(code_of([] { JsonBody(json_request("{}"), {"a"}).string("a"); }),
              ErrorCode::missing_field);
    EXPECT_EQ(code_of([] { JsonBody(json_request("{\"a\":\"x\"}"), {"a"}).nullable_int("a"); }),
              ErrorCode::invalid_field);
    EXPECT_EQ(code_of([] { JsonBody(json_request("{\"a\":1.5}"), {"a"}).nullable_int("a"); }),
              ErrorCode::invalid_field);
    EXPECT_EQ(code_of([] { JsonBody(json_request("{\"a\":\"x\\u0000y\"}"), {"a"}).string("a"); }),
              ErrorCode::invalid_field);
    EXPECT_EQ(code_of([] {
                  JsonBody(json_request("{\"a\":\"" + std::string(2000, 'x') + "\"}"), {"a"})
                      .string("a", 100);
              }),
              ErrorCode::invalid_field);
    std::string deep(100, '[');
    EXPECT_EQ(code_of([&] { JsonBody(json_request("{\"a\":" + deep + "}"), {"a"}); }),
              ErrorCode::malformed_json);
    const JsonBody ok(json_request("{\"a\":\"网格\",\"n\":null,\"i\":7,\"b\":true}"),
                      {"a", "n", "i", "b"});
    EXPECT_EQ(ok.string("a"), "网格");
    EXPECT_EQ(ok.nullable_int("n"),
              std::optional<std::optional<std::int64_t>>(std::optional<std::int64_t>{}));
    EXPECT_EQ(ok.nullable_int("i").value(), 7);
    EXPECT_EQ(ok.opt_bool("b"), true);
    EXPECT_FALSE(ok.nullable_int("missing").has_value());
}

class StaticFilesTest : public ::testing::Test {
  protected:
    std::filesystem::path root =
        std::filesystem::temp_directory_path() / ("gridgov-web-" + random_token(6));
    void SetUp() override {
        std::filesystem::create_directories(root / "assets");
        std::ofstream(root / "index.html") << "<!doctype html><title>gridgov</title>";
        std::ofstream(root / "assets" / "app-1a2b.js") << "console.log(1)";
        std::ofstream(root.parent_path() / "secret.txt") << "secret";
    }
    void TearDown() override { std::filesystem::remove_all(root); }
    std::optional<Response> get(std::vector<std::string> segments) {
        return StaticFiles(root.string()).serve(request("GET", std::move(segments)));
    }
    static std::string header(const Response& r, const std::string& name) {
        for (const auto& [n, v] : r.headers) {
            if (n == name) return v;
        }
        return {};
    }
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
    auto js = get({"assets", "app-1a2b.js"});
    ASSERT_TRUE(js);
    EXPECT_EQ(js->body, "console.log(1)");
    EXPECT_EQ(header(*js, "Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_NE(header(*js, "Cache-Control").find("immutable"), std::string::npos);
    auto index = get({});
    ASSERT_TRUE(index);
    EXPECT_EQ(header(*index, "Cache-Control"), "no-cache");
    EXPECT_FALSE(header(*index, "Content-Security-Policy").empty());
}

TEST_F(StaticFilesTest, ScriptsGoGzippedOnceAndAgainWhenTheFileChanges) {
    const std::string script(4000, 'x');
    std::ofstream(root / "assets" / "big.js") << script;
    StaticFiles files(root.string());
    const auto first = files.serve(accepting("gzip", {"assets", "big.js"}));
    ASSERT_TRUE(first);
    EXPECT_EQ(header(*first, "Content-Encoding"), "gzip");
    EXPECT_EQ(gunzip(first->body), script);
    const auto again = files.serve(accepting("gzip", {"assets", "big.js"}));
    EXPECT_EQ(again->body, first->body);
    const auto plain = files.serve(request("GET", {"assets", "big.js"}));
    EXPECT_EQ(plain->body, script);
    EXPECT_EQ(header(*plain, "Vary"), "Accept-Encoding");
    const std::string changed(5000, 'y');
    std::ofstream(root / "assets" / "big.js") << changed;
    EXPECT_EQ(gunzip(files.serve(accepting("gzip", {"assets", "big.js"}))->body), changed);
    // a small file goes as it is
    EXPECT_EQ(get({"assets", "app-1a2b.js"})->body, "console.log(1)");
}

TEST_F(StaticFilesTest, AppRoutesFallBackToIndexButMissingFilesDoNot) {
    auto route = get({"users", "42"});
    ASSERT_TRUE(route);
    EXPECT_NE(route->body.find("<title>gridgov"), std::string::npos);
    EXPECT_FALSE(get({"assets", "missing.js"}));
}

TEST_F(StaticFilesTest, RefusesToLeaveTheRoot) {
    EXPECT_EQ(code_of([&] { get({"..", "secret.txt"}); }), ErrorCode::bad_path);
    EXPECT_EQ(code_of([&] { get({"assets", "..", "..", "secret.txt"}); }), ErrorCode::bad_path);
    EXPECT_EQ(code_of([&] { get({"a/../../secret.txt"}); }), ErrorCode::bad_path);
    EXPECT_EQ(code_of([&] { get({"a\\..\\secret.txt"}); }), ErrorCode::bad_path);
    EXPECT_EQ(code_of([&] { get({std::string("index.html\0x", 12)}); }), ErrorCode::bad_path);
}

TEST(OpenApi, DocumentsEveryRouteAndNothingElse) {
    // the real application's router, over a real (empty) database
    auto db = test_support::fresh_database(store::Dialect::sqlite, 1);
    std::array<unsigned char, FieldCipher::kKeyBytes> key{};
    const FieldCipher cipher(key);
    accounts::SelfAncestry tree;
    accounts::AuditLog audit(*db, SystemClock::instance());
    accounts::UserService users(*db, audit, cipher, SystemClock::instance(), {}, tree);
    accounts::SessionService sessions(*db, audit, SystemClock::instance(), {});
    accounts::ApiKeyService keys(*db, audit, SystemClock::instance(), tree);
    grid::GridService grid_service(*db, audit, SystemClock::instance());
    grid::GridStaffing staffing(*db, audit, SystemClock::instance(), grid_service);
    events::Catalogue catalogue(*db, audit);
    events::WorkingTime working_time(*db, audit, parse_work_periods("09:00-17:00", "hours"));
    events::Departments departments(*db, audit, catalogue, grid_service, SystemClock::instance());
    events::EventService event_service(*db, audit, grid_service, catalogue, working_time,
                                       departments, cipher, SystemClock::instance());
    events::Webhooks webhooks(*db, audit, grid_service, catalogue, event_service, cipher,
                              SystemClock::instance());
    registry::PeopleRegistry people(*db, audit, grid_service, cipher, SystemClock::instance());
    registry::PersonTags tags(*db, audit, grid_service, SystemClock::instance());
    registry::AddressRegistry addresses(*db, audit, grid_service, SystemClock::instance());
    registry::Organisations organisations(*db, audit, grid_service, cipher,
                                          SystemClock::instance());
    registry::KeyPlaces key_places(*db, audit, grid_service, cipher, SystemClock::instance());
    registry::Licences licences(*db, audit, grid_service, SystemClock::instance());
    registry::Households households(*db, audit, grid_service, SystemClock::instance());
    registry::PeopleMerge people_merge(*db, audit, grid_service, SystemClock::instance());
    analytics::LiveFigures figures(*db, SystemClock::instance());
    field::FieldWork field_work(*db, audit, grid_service, event_service, SystemClock::instance());
    App app(Services{*db,           SystemClock::instance(),
                     audit,         users,
                     sessions,      keys,
                     grid_service,  staffing,
                     catalogue,     working_time,
                     departments,   event_service,
                     webhooks,      people,
                     tags,          addresses,
                     organisations, key_places,
                     licences,      households,
                     people_merge,  figures,
                     field_work},
            AppOptions{}, nullptr);

    const auto doc = boost::json::parse(openapi_document()).as_object();
    EXPECT_TRUE(std::string_view(doc.at("openapi").as_string()).starts_with("3."));
    std::set<std::string> documented;
    for (const auto& [path, item] : doc.at("paths").as_object()) {
        for (const auto& [method, op] : item.as_object()) {
            std::string m(method);
            for (char& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            documented.insert(m + " " + std::string(path));
            EXPECT_TRUE(op.as_object().contains("responses")) << path;
        }
    }
    std::set<std::string> routed;
    for (const auto& route : app.router().routes())
        routed.insert(route.method + " " + route.pattern);
    EXPECT_EQ(documented, routed);
}

TEST(RateLimiter, CountsPerKeyWithinTheWindow) {
    http::RateLimiter limiter(3, kHour);
    const Millis t0 = 1'800'000'000'000;
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.allow("10.0.0.1", t0 + i * kMinute));
    EXPECT_FALSE(limiter.allow("10.0.0.1", t0 + 10 * kMinute));
    EXPECT_EQ(limiter.retry_after("10.0.0.1", t0 + 10 * kMinute), 50 * kMinute);
    EXPECT_TRUE(limiter.allow("10.0.0.2", t0 + 10 * kMinute));  // another address
    EXPECT_TRUE(limiter.allow("10.0.0.1", t0 + kHour + 1));     // the first one has aged out
    EXPECT_FALSE(limiter.allow("10.0.0.1", t0 + kHour + 2));
    EXPECT_EQ(limiter.retry_after("10.0.0.9", t0), 0);
}

TEST(TableResponse, CellsThatWouldRunAsFormulasAreWrittenAsText) {
    const std::string csv =
        http::csv_text({{"=HYPERLINK(\"http://x\",\"点我\")", "@SUM(A1)", "正常", "-1+1", "a,b"}});
    EXPECT_EQ(
        csv,
        "\xEF\xBB\xBF\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",\"'@SUM(A1)\",正常,\"'-1+1\","
        "\"a,b\"\r\n");
}

TEST(Imports, AWorkbookOfTooManyRowsIsRefusedWhole) {
    // a workbook of many short rows: small zipped, large unzipped; converted within the bounds,
    // then refused by its number of lines before any record is read
    std::vector<std::vector<std::string>> rows{{"姓名", "证件号码"}};
    for (int i = 0; i < 100'001; ++i) rows.push_back({"某人", ""});
    const std::string workbook = http::xlsx_table(rows, "people");
    EXPECT_LT(workbook.size(), 2u * 1024 * 1024);
    const std::string csv = geo::xlsx_as_csv(workbook);
    try {
        registry::parse_csv(csv);
        FAIL() << "read " << csv.size() << " bytes";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_field);
        EXPECT_EQ(e.field(), "file");
        EXPECT_NE(std::string(e.what()).find("100001"), std::string::npos) << e.what();
    }
    // a line of too many cells too
    EXPECT_EQ(test_support::code_of([] { registry::parse_csv(std::string(300, ',') + "\n"); }),
              ErrorCode::invalid_field);
}
