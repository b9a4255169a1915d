#include "cli/runtime.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "core/error.hpp"
#include "registry/key_rotation.hpp"
#include "store/migrations.hpp"

namespace gridgov::cli {

unsigned worker_threads(const Settings& s) {
    return s.threads > 0 ? s.threads : std::max(1u, std::thread::hardware_concurrency());
}

Runtime::Runtime(const Settings& s, KeyCheck key_check) : settings(s) {
    const std::size_t pool =
        settings.db_pool_size > 0 ? settings.db_pool_size : worker_threads(settings) + 2;
    db = store::open_database(settings.database, pool);
    const int applied = store::migrate(*db);
    spdlog::info("database {} at schema version {} ({} applied now)", db->describe(),
                 store::schema_version(*db), applied);
    cipher = std::make_unique<FieldCipher>(FieldCipher::from_key_file(settings.key_file));
    if (key_check == KeyCheck::check) registry::check_key(*db, *cipher, settings.key_file);
    const Clock& clock = SystemClock::instance();
    audit = std::make_unique<accounts::AuditLog>(*db, clock);
    grid = std::make_unique<grid::GridService>(*db, *audit, clock);
    audit->attach_tree(grid.get());
    grid->reload();
    staffing = std::make_unique<grid::GridStaffing>(*db, *audit, clock, *grid);
    const auto snapshot = grid->snapshot();
    spdlog::info("grid tree: {} nodes", snapshot->node_count());
    users = std::make_unique<accounts::UserService>(
        *db, *audit, *cipher, clock,
        accounts::LoginPolicy{static_cast<int>(settings.login_max_failures),
                              settings.login_lock_min * kMinute},
        *grid);
    sessions = std::make_unique<accounts::SessionService>(
        *db, *audit, clock,
        accounts::SessionPolicy{settings.session_idle_min * kMinute,
                                settings.session_absolute_h * kHour});
    api_keys = std::make_unique<accounts::ApiKeyService>(*db, *audit, clock, *grid);
    users->on_sessions_revoked([s = sessions.get()] { s->forget_all(); });
    catalogue = std::make_unique<events::Catalogue>(*db, *audit);
    catalogue->reload();
    working_time = std::make_unique<events::WorkingTime>(
        *db, *audit, parse_work_periods(settings.working_hours, "events.working_hours"));
    working_time->reload();
    departments = std::make_unique<events::Departments>(*db, *audit, *catalogue, *grid, clock);
    events = std::make_unique<events::EventService>(*db, *audit, *grid, *catalogue, *working_time,
                                                    *departments, *cipher, clock);
    events::AttachmentPolicy attachments;
    attachments.max_bytes = settings.attachment_max_bytes;
    attachments.directory = settings.attachment_directory;
    events->set_attachment_policy(attachments);
    events->set_policy({settings.warning_percent / 100.0, Millis{settings.reopen_days} * kDay});
    events::RetryPolicy retries;
    retries.first_delay = settings.webhook_first_retry_ms;
    retries.max_attempts = static_cast<int>(settings.webhook_max_attempts);
    webhooks = std::make_unique<events::Webhooks>(*db, *audit, *grid, *catalogue, *events, *cipher,
                                                  clock, retries);
    people = std::make_unique<registry::PeopleRegistry>(*db, *audit, *grid, *cipher, clock);
    person_tags = std::make_unique<registry::PersonTags>(*db, *audit, *grid, clock);
    addresses = std::make_unique<registry::AddressRegistry>(*db, *audit, *grid, clock);
    organisations = std::make_unique<registry::Organisations>(*db, *audit, *grid, *cipher, clock);
    key_places = std::make_unique<registry::KeyPlaces>(*db, *audit, *grid, *cipher, clock);
    licences = std::make_unique<registry::Licences>(*db, *audit, *grid, clock);
    households = std::make_unique<registry::Households>(*db, *audit, *grid, clock);
    people_merge = std::make_unique<registry::PeopleMerge>(*db, *audit, *grid, clock);
    figures = std::make_unique<analytics::LiveFigures>(*db, clock);
    field = std::make_unique<field::FieldWork>(*db, *audit, *grid, *events, clock);
}

std::optional<std::int64_t> Runtime::node_id(const std::string& code) {
    if (code.empty()) return std::nullopt;
    const auto node = grid->find_by_code(code);
    if (!node)
        throw Error(ErrorCode::not_found, fmt::format("No node with code {}.", code), "node");
    return node->id;
}

http::Services Runtime::services() {
    return {*db,
            SystemClock::instance(),
            *audit,
            *users,
            *sessions,
            *api_keys,
            *grid,
            *staffing,
            *catalogue,
            *working_time,
            *departments,
            *events,
            *webhooks,
            *people,
            *person_tags,
            *addresses,
            *organisations,
            *key_places,
            *licences,
            *households,
            *people_merge,
            *figures,
            *field};
}

}  // namespace gridgov::cli
