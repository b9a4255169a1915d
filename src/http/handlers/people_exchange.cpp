// The actual population exchanged as files: import from CSV or an Excel workbook (a dry run
// naming every line at fault, an explicit column mapping, then all or nothing), and export of
// what a filter finds as CSV or Excel, masked unless a role that may asks with a reason; every
// export is audited.
#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>

#include "core/error.hpp"
#include "geo/gis_files.hpp"
#include "http/app.hpp"
#include "http/error_response.hpp"
#include "http/handlers/registry_views.hpp"
#include "http/json_body.hpp"
#include "http/table_response.hpp"
#include "registry/csv_table.hpp"
#include "registry/people_table.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

// ?map=户口性质:household_type,备注: — each header and the field it fills (nothing: ignored)
std::map<std::string, std::string> column_mapping(const Request& r) {
    std::map<std::string, std::string> out;
    for (const auto& pair : query_list(r, "map")) {
        const auto colon = pair.rfind(':');
        if (colon == std::string::npos || colon == 0)
            throw Error(ErrorCode::invalid_field, "Map a column as header:field.", "map");
        const auto field = pair.substr(colon + 1);
        if (!field.empty() && !registry::is_people_table_field(field))
            throw Error(ErrorCode::invalid_field,
                        fmt::format("{} is not a field of a person.", field), "map");
        out[pair.substr(0, colon)] = field;
    }
    return out;
}

Response export_people(Request& r, const Services& s, std::string_view format) {
    const auto found =
        s.people.export_people(person_query(r), *r.principal, query_list(r, "reveal"),
                               r.query_param("reason").value_or(""), r.origin(), 100'000);
    auto res = table_response(registry::write_people_table(found.people, s.grid), format, "people",
                              "实有人口");
    res.set_header("X-Total-Count", std::to_string(found.total));
    return res;
}

}  // namespace

void add_people_exchange_routes(Router& router, const Services& s) {
    router.add(
        "POST", "/api/v1/people/import", Access::authenticated,
        [s](Request& r) {
            const auto dry = r.query_param("dry_run");
            if (dry && *dry != "true" && *dry != "false")
                throw Error(ErrorCode::invalid_field, "Use true or false.", "dry_run");
            const bool dry_run = dry == "true";
            // an Excel workbook (a zip) is read through GDAL; anything else is CSV text
            const std::string text = r.body.starts_with(std::string_view("PK\x03\x04", 4))
                                         ? geo::xlsx_as_csv(r.body)
                                         : r.body;
            auto table =
                registry::read_people_table(registry::parse_csv(text), s.grid, column_mapping(r));
            auto report =
                s.people.import(table.rows, table.lines, dry_run, *r.principal, r.origin());
            report.problems.insert(report.problems.begin(), table.problems.begin(),
                                   table.problems.end());
            if (!table.problems.empty()) report.added = 0;
            std::sort(report.problems.begin(), report.problems.end(),
                      [](const auto& a, const auto& b) { return a.line < b.line; });
            json::array problems;
            for (const auto& p : report.problems) {
                problems.push_back(
                    json::object{{"line", p.line}, {"field", p.field}, {"message", p.message}});
            }
            json::array ignored;
            for (const auto& c : table.ignored_columns) ignored.emplace_back(c);
            json::array columns;
            for (const auto& [header, field] : table.columns)
                columns.push_back(json::object{
                    {"header", header},
                    {"field", field.empty() ? json::value(nullptr) : json::value(field)}});
            json::object body{{"rows", report.rows + static_cast<int>(table.problems.size())},
                              {"added", report.added},
                              {"dry_run", dry_run},
                              {"ignored_columns", std::move(ignored)},
                              {"columns", std::move(columns)},
                              {"problems", std::move(problems)}};
            if (!dry_run && !report.problems.empty()) {
                // nothing was written: the whole file is refused, with every line's problems
                Response res = error_response(
                    Error(ErrorCode::invalid_field,
                          fmt::format("{} line(s) have problems; nothing was imported.",
                                      report.problems.size()),
                          "file"),
                    r.origin().request_id);
                auto doc = boost::json::parse(res.body).as_object();
                doc["report"] = std::move(body);
                res.body = boost::json::serialize(doc);
                return res;
            }
            return Response::json(200, body);
        },
        "Import people from CSV or an Excel workbook (header row in Chinese or English, or "
        "?map=header:field,…; ?dry_run=true checks every line and writes nothing); all or "
        "nothing");

    router.add(
        "GET", "/api/v1/people.csv", Access::authenticated,
        [s](Request& r) { return export_people(r, s, "csv"); },
        "The people a filter finds as CSV (at most 100,000; the columns the import reads); "
        "masked unless ?reveal=id_number,phone&reason= by a role that may; audited");

    router.add(
        "GET", "/api/v1/people.xlsx", Access::authenticated,
        [s](Request& r) { return export_people(r, s, "xlsx"); },
        "The people a filter finds as an Excel workbook; as the CSV export");
}

}  // namespace gridgov::http
