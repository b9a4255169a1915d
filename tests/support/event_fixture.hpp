// The grid tree of GridTest with the event services over it (catalogue, working time, two
// departments, the event service) and helpers to report events and take steps as someone.
#pragma once

#include "core/field_cipher.hpp"
#include "events/event_service.hpp"
#include "support/grid_fixture.hpp"

namespace gridgov::test_support {

using namespace gridgov::events;

class EventFixture : public GridTest {
  protected:
    EventFixture()
        : catalogue(*db, audit),
          time(*db, audit, parse_work_periods("08:30-12:00,13:30-17:30", "hours")),
          departments(*db, audit, catalogue, grid, clock),
          cipher(key),
          events(*db, audit, grid, catalogue, time, departments, cipher, clock) {
        catalogue.reload();
        time.reload();
        build();
        const auto street = id_of("320115005");
        cg = departments.create({"禄口街道城管中队", "cgj", street}, nullptr, origin).id;
        police = departments.create({"江宁公安分局", "ga", id_of("320115")}, nullptr, origin).id;
    }

    accounts::Principal person(accounts::Role role, std::optional<std::int64_t> scope,
                               std::optional<std::int64_t> department = std::nullopt,
                               std::int64_t id = 0) {
        return {accounts::Principal::Kind::user, id, "p", "某人", role, scope, department};
    }
    Event step(std::int64_t id, StepRequest r, const accounts::Principal& who) {
        return events.step(id, r, &who, origin);
    }
    NewEvent report_at(geo::LonLat p, const char* category) {
        NewEvent in;
        in.channel = "grid_worker";
        in.title = "乱停车";
        in.description = "机动车占用消防通道";
        in.category_code = category;
        in.location = p;
        return in;
    }

    Catalogue catalogue;
    WorkingTime time;
    Departments departments;
    std::array<unsigned char, FieldCipher::kKeyBytes> key{};
    FieldCipher cipher;
    EventService events;
    std::int64_t cg = 0, police = 0;
    accounts::Principal centre = person(accounts::Role::center, std::nullopt);
};

}  // namespace gridgov::test_support
