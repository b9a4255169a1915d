// One gridgov process's domain objects, built from its Settings: the database (migrated), the
// key for personal data, and the services. Used by every subcommand that touches the data.
#pragma once

#include <memory>

#include "accounts/api_key_service.hpp"
#include "accounts/audit_log.hpp"
#include "accounts/session_service.hpp"
#include "accounts/user_service.hpp"
#include "core/config.hpp"
#include "core/field_cipher.hpp"
#include "grid/grid_service.hpp"
#include "http/services.hpp"
#include "store/database.hpp"

namespace gridgov::cli {

class Runtime {
  public:
    // Opens the database and applies pending migrations; refuses a key file that does not open
    // the database's personal data, unless told not to check (a key rotation reads both keys).
    enum class KeyCheck { check, skip };
    explicit Runtime(const Settings& settings, KeyCheck key_check = KeyCheck::check);

    http::Services services();
    // The id of the node with this code; nullopt for an empty code; Error(not_found) for an unknown
    // one.
    std::optional<std::int64_t> node_id(const std::string& code);

    Settings settings;
    std::unique_ptr<store::Database> db;
    std::unique_ptr<FieldCipher> cipher;
    std::unique_ptr<accounts::AuditLog> audit;
    std::unique_ptr<grid::GridService> grid;
    std::unique_ptr<grid::GridStaffing> staffing;
    std::unique_ptr<accounts::UserService> users;
    std::unique_ptr<accounts::SessionService> sessions;
    std::unique_ptr<accounts::ApiKeyService> api_keys;
    std::unique_ptr<events::Catalogue> catalogue;
    std::unique_ptr<events::WorkingTime> working_time;
    std::unique_ptr<events::Departments> departments;
    std::unique_ptr<events::EventService> events;
    std::unique_ptr<events::Webhooks> webhooks;
    std::unique_ptr<registry::PeopleRegistry> people;
    std::unique_ptr<registry::PersonTags> person_tags;
    std::unique_ptr<registry::AddressRegistry> addresses;
    std::unique_ptr<registry::Organisations> organisations;
    std::unique_ptr<registry::KeyPlaces> key_places;
    std::unique_ptr<registry::Licences> licences;
    std::unique_ptr<registry::Households> households;
    std::unique_ptr<registry::PeopleMerge> people_merge;
    std::unique_ptr<analytics::LiveFigures> figures;  // empty until serve rebuilds it
    std::unique_ptr<field::FieldWork> field;
};

unsigned worker_threads(const Settings& s);

}  // namespace gridgov::cli
