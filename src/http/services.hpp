// What the handlers call: the domain services of one gridgov process, built by the command line
// and passed to the HTTP layer, which only translates between HTTP and these.
#pragma once

#include <string>
#include <vector>

#include "accounts/api_key_service.hpp"
#include "accounts/audit_log.hpp"
#include "accounts/session_service.hpp"
#include "accounts/user_service.hpp"
#include "analytics/live_figures.hpp"
#include "core/clock.hpp"
#include "events/catalogue.hpp"
#include "events/departments.hpp"
#include "events/event_service.hpp"
#include "events/webhooks.hpp"
#include "events/working_time.hpp"
#include "field/field_work.hpp"
#include "grid/grid_service.hpp"
#include "grid/staffing.hpp"
#include "registry/address_registry.hpp"
#include "registry/households.hpp"
#include "registry/key_places.hpp"
#include "registry/licences.hpp"
#include "registry/organisations.hpp"
#include "registry/people_merge.hpp"
#include "registry/people_registry.hpp"
#include "registry/person_tags.hpp"
#include "store/database.hpp"

namespace gridgov::http {

struct Services {
    store::Database& db;
    const Clock& clock;
    accounts::AuditLog& audit;
    accounts::UserService& users;
    accounts::SessionService& sessions;
    accounts::ApiKeyService& api_keys;
    grid::GridService& grid;
    grid::GridStaffing& staffing;
    events::Catalogue& catalogue;
    events::WorkingTime& working_time;
    events::Departments& departments;
    events::EventService& events;
    events::Webhooks& webhooks;
    registry::PeopleRegistry& people;
    registry::PersonTags& person_tags;
    registry::AddressRegistry& addresses;
    registry::Organisations& organisations;
    registry::KeyPlaces& key_places;
    registry::Licences& licences;
    registry::Households& households;
    registry::PeopleMerge& people_merge;
    analytics::LiveFigures& figures;
    field::FieldWork& field;
};

struct AppOptions {
    std::string web_root = "web/dist";
    bool cookie_secure = false;
    bool trust_proxy = false;
    std::string version;
    std::string base_tiles_url;
    std::string base_tiles_attribution;
    int public_reports_per_hour = 20;  // per client address, for reports without an account
    // Open311: the jurisdiction_id clients may name (empty: any), and the category groups (code
    // prefixes) offered as services
    std::string open311_jurisdiction_id;
    std::vector<std::string> open311_service_groups{"CG", "AQ"};
    // Open311 reads (requests) need an api_key; otherwise anyone reads the published subset
    bool open311_read_requires_key = false;
    // the addresses (of the TCP peer) that may read /metrics; "*" lets anyone
    std::vector<std::string> metrics_allow{"127.0.0.1", "::1"};
    // failed logins one client address may make in 15 minutes before it must wait
    int login_failures_per_address = 20;
    // the platform's public address ("https://grid.example.gov.cn"), for links and QR codes
    std::string public_url;
    // files the public may attach from one address in a day
    int public_uploads_per_day = 30;
};

}  // namespace gridgov::http
