// The figures of the event closed loop for a node's subtree and a period, with the formulas of
// the usual 数字城管 evaluation (docs/figures.md): intake, cases filed, closures, on-time closures,
// rework, satisfaction, what is open and overdue now; and the counts of what stands open now by
// status and category. Plain values, computed by LiveFigures.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/working_calendar.hpp"

namespace gridgov::analytics {

// The events reported in a period (a cohort) and what became of them.
struct Figures {
    std::int64_t intake = 0;            // 受理数: reported in the period, every channel
    std::int64_t cancelled = 0;         // duplicates, invalid, out of scope
    std::int64_t accepted = 0;          // 立案数: intake − cancelled
    std::int64_t resolved_on_spot = 0;  // 就地解决
    std::int64_t should_close = 0;      // 应结案数: filed, and closed or past the deadline now
    std::int64_t closed = 0;            // 结案数: closed or evaluated
    std::int64_t closed_on_time = 0;    // 按期结案数: closed by the handling deadline
    std::int64_t reworked = 0;          // 返工数: sent back at verification at least once
    std::int64_t open = 0;              // filed and not closed yet
    std::int64_t overdue = 0;           // open and past the handling deadline now
    std::int64_t evaluated = 0;         // with the reporter's evaluation
    std::int64_t satisfied = 0;         // satisfied or basically satisfied

    // The rates, nullopt when the denominator is 0.
    std::optional<double> closure_rate() const;          // 结案率 = 结案数 / 应结案数
    std::optional<double> on_time_closure_rate() const;  // 按期结案率 = 按期结案数 / 应结案数
    std::optional<double> rework_rate() const;           // 返工率 = 返工数 / 结案数
    std::optional<double> satisfaction_rate() const;  // 满意率 = 满意数 / 评价数
    Figures& operator+=(const Figures& o);
    bool operator==(const Figures&) const = default;
};

// What a department was given in a period (assignments dispatched in it) and what it did.
struct DepartmentFigures {
    std::int64_t dispatched = 0;       // 派遣数
    std::int64_t handled = 0;          // 处置数
    std::int64_t handled_on_time = 0;  // 按期处置数
    std::int64_t returned = 0;         // 退回数
    std::int64_t open = 0;             // dispatched or signed for, not handled
    std::int64_t overdue = 0;          // open and past the assignment's deadline now
    std::optional<double> on_time_rate()
        const;  // 按期处置率 = 按期处置数 / (处置数 + 超期未处置数)
};

// How a period's figures are split.
enum class Split { none, child, grid, category, channel, day, week, month };
std::optional<Split> parse_split(std::string_view name);
// The first day of a day's bucket (itself, its week's Monday, the first of its month; days are
// China's local days, core/working_calendar.hpp), and the bucket's name ("2026-11-23", the
// Monday's date, "2026-11").
LocalDay bucket_of(LocalDay day, Split bucket);
std::string bucket_text(LocalDay first_day, Split bucket);

struct FiguresGroup {
    std::string key;  // a node id, a category code, a channel, a day ("2026-11-23"), a week's
                      // Monday, a month ("2026-11")
    Figures figures;
};

struct FiguresAnswer {
    Figures total;
    std::vector<FiguresGroup> groups;  // in key order
};

struct DepartmentGroup {
    std::int64_t department_id = 0;
    DepartmentFigures figures;
};

// What stands now: events by status (cancelled, closed and evaluated included), by category.
struct StockRow {
    std::optional<std::int64_t> node_id;  // the group's node, when split by node
    std::string status;
    std::string category;  // empty: none
    std::int64_t count = 0;
    std::int64_t overdue = 0;
};

// The events open now (filed, not yet closed), and how many of them are past their deadline.
struct OpenNow {
    std::int64_t open = 0;
    std::int64_t overdue = 0;
};

// Reports and closures per day, for trend lines.
struct FlowPoint {
    std::string key;  // day, week's Monday or month
    std::int64_t reported = 0;
    std::int64_t closed = 0;
};

}  // namespace gridgov::analytics
