#include "events/action_chain.hpp"

#include <fmt/format.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>

#include "core/crypto.hpp"
#include "core/error.hpp"
#include "events/event_service.hpp"

namespace gridgov::events {

namespace {

constexpr std::int64_t kPage = 20'000;  // events read at a time

struct StoredAction {
    std::int64_t event_id = 0;
    std::int64_t row_id = 0;
    ActionRecord a;
};

struct EventRow {
    std::int64_t id = 0;
    std::string status;
    std::string description;
    std::optional<std::string> satisfaction;
    std::optional<std::string> head;
};

// One page of events [from, to) and their actions, in order.
void read_page(store::Connection& c, std::int64_t from, std::int64_t to,
               std::vector<EventRow>& events, std::vector<StoredAction>& actions) {
    for (const auto& row : c.run("SELECT id, status, description, satisfaction, chain_head FROM "
                                 "events WHERE id >= $1 AND id < $2 ORDER BY id",
                                 {from, to})
                               .rows)
        events.push_back({row.integer("id"), row.text("status"), row.text("description"),
                          row.opt_text("satisfaction"), row.opt_text("chain_head")});
    for (const auto& row :
         c.run("SELECT * FROM event_actions WHERE event_id >= $1 AND event_id < $2 ORDER BY "
               "event_id, seq",
               {from, to})
             .rows)
        actions.push_back({row.integer("event_id"), row.integer("id"), action_from_row(row)});
}

// Whether one event's chain and row hold; `signed_again` (when given) receives the actions with
// their hashes under `next`.
bool holds(const EventRow& e, const std::vector<StoredAction>& stored, std::int64_t legacy_max,
           const FieldCipher& key, const FieldCipher* next,
           std::vector<ActionRecord>* signed_again) {
    std::vector<ActionRecord> chain;
    for (const auto& s : stored) {
        // the unkeyed version only for what was written before the keyed one existed
        if (s.a.chain_version == 1 && s.row_id > legacy_max) return false;
        chain.push_back(s.a);
    }
    if (chain.empty()) return false;  // every event has at least its report
    std::string prev = kChainGenesis, prev_next = kChainGenesis;
    std::optional<std::string> satisfaction;
    int seq = 1;
    for (const auto& a : chain) {
        if (a.seq != seq++ || (a.chain_version != 1 && a.chain_version != 2)) return false;
        if (action_hash(a.chain_version, prev, e.id, a, key) != a.hash) return false;
        prev = a.hash;
        if (a.action == "evaluate") {
            try {
                const auto data = boost::json::parse(a.data);
                if (const auto* s = data.as_object().if_contains("satisfaction"))
                    satisfaction = std::string(s->as_string());
            } catch (const std::exception&) {
                return false;
            }
        }
        if (a.action == "reopen") satisfaction.reset();
        if (next) {
            ActionRecord copy = a;
            copy.chain_version = kChainVersion;
            copy.hash = action_hash(kChainVersion, prev_next, e.id, copy, *next);
            prev_next = copy.hash;
            signed_again->push_back(std::move(copy));
        }
    }
    // the row is what the chain says: its head, status, description, satisfaction
    return e.head == chain.back().hash && e.status == chain.back().to_status &&
           chain.front().action == "report" && chain.front().note == e.description &&
           e.satisfaction == satisfaction;
}

template <typename Fn>
void for_each_event(store::Database& db, const Fn& fn) {
    std::int64_t max_id = 0, legacy_max = 0;
    db.read([&](store::Connection& c) {
        max_id = c.run("SELECT COALESCE(MAX(id), 0) AS n FROM events").front().integer("n");
        legacy_max = c.run("SELECT COALESCE(MAX(max_action_id), 0) AS n FROM chain_legacy")
                         .front()
                         .integer("n");
    });
    for (std::int64_t from = 1; from <= max_id; from += kPage) {
        std::vector<EventRow> events;
        std::vector<StoredAction> actions;
        db.read([&](store::Connection& c) { read_page(c, from, from + kPage, events, actions); });
        std::size_t at = 0;
        for (const auto& e : events) {
            std::vector<StoredAction> chain;
            while (at < actions.size() && actions[at].event_id < e.id) ++at;  // of no event
            while (at < actions.size() && actions[at].event_id == e.id)
                chain.push_back(std::move(actions[at++]));
            fn(e, chain, legacy_max);
        }
    }
}

}  // namespace

ActionRecord action_from_row(const store::Row& row) {
    ActionRecord a;
    a.seq = static_cast<int>(row.integer("seq"));
    a.action = row.text("action");
    a.actor_kind = row.text("actor_kind");
    a.actor_id = row.opt_integer("actor_id");
    a.actor_role = row.opt_text("actor_role");
    a.actor_name = row.opt_text("actor_name");
    a.at = row.integer("at");
    a.from_status = row.opt_text("from_status");
    a.to_status = row.text("to_status");
    a.assignment_id = row.opt_integer("assignment_id");
    a.note = row.text("note");
    a.data = row.text("data");
    a.hash = row.text("hash");
    a.chain_version = static_cast<int>(row.integer("chain_version"));
    return a;
}

std::string action_hash(int version, const std::string& prev_hash, std::int64_t event_id,
                        const ActionRecord& a, const FieldCipher& key) {
    boost::json::object fields{
        {"event", event_id},
        {"seq", a.seq},
        {"action", a.action},
        {"actor_kind", a.actor_kind},
        {"actor_id", a.actor_id ? boost::json::value(*a.actor_id) : nullptr},
        {"at", a.at},
        {"from", a.from_status ? boost::json::value(*a.from_status) : nullptr},
        {"to", a.to_status},
        {"assignment", a.assignment_id ? boost::json::value(*a.assignment_id) : nullptr},
        {"note", a.note},
        {"data", a.data}};
    if (version == 1) return sha256_hex(prev_hash + "\n" + boost::json::serialize(fields));
    fields["actor_role"] = a.actor_role ? boost::json::value(*a.actor_role) : nullptr;
    fields["actor_name"] = a.actor_name ? boost::json::value(*a.actor_name) : nullptr;
    return key.chain_mac(prev_hash + "\n" + boost::json::serialize(fields));
}

ChainCheck verify_chains(store::Database& db, const FieldCipher& key) {
    ChainCheck out;
    for_each_event(db, [&](const EventRow& e, const std::vector<StoredAction>& chain,
                           std::int64_t legacy_max) {
        ++out.events;
        out.actions += static_cast<std::int64_t>(chain.size());
        if (!holds(e, chain, legacy_max, key, nullptr, nullptr)) out.broken.push_back(e.id);
    });
    return out;
}

std::int64_t resign_chains(store::Database& db, const FieldCipher& current,
                           const FieldCipher& next) {
    // checked in full first: a chain that does not hold is never signed again
    const auto check = verify_chains(db, current);
    if (!check.broken.empty())
        throw Error(
            ErrorCode::conflict,
            fmt::format("事件 {0} 的记录链已被改动，未重新签名。 The chain of event {0} does "
                        "not hold; nothing was signed again.",
                        check.broken.front()));
    std::int64_t signed_count = 0;
    for_each_event(db, [&](const EventRow& e, const std::vector<StoredAction>& chain,
                           std::int64_t legacy_max) {
        std::vector<ActionRecord> again;
        holds(e, chain, legacy_max, current, &next, &again);
        db.transact([&](store::Connection& c) {
            for (const auto& a : again)
                c.run(
                    "UPDATE event_actions SET prev_hash = $1, hash = $2, chain_version = $3 WHERE "
                    "event_id = $4 AND seq = $5",
                    {a.seq == 1 ? std::string(kChainGenesis) : again[a.seq - 2].hash, a.hash,
                     std::int64_t{a.chain_version}, e.id, std::int64_t{a.seq}});
            if (!again.empty())
                c.run("UPDATE events SET chain_head = $1 WHERE id = $2", {again.back().hash, e.id});
        });
        signed_count += static_cast<std::int64_t>(again.size());
    });
    return signed_count;
}

}  // namespace gridgov::events
