// Loading many generated rows fast on both databases: rows gathered into multi-row INSERTs (fewer
// round trips to PostgreSQL, fewer steps in SQLite), the secondary indexes of the loaded tables
// dropped first and made again after (a sort each instead of millions of random inserts), and the
// id sequences moved past ids given explicitly. Used by the demo generators; not thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "store/database.hpp"

namespace gridgov::store {

class BatchInsert {
  public:
    // The batches whose rows these refer to are written first.
    BatchInsert(std::string table, std::vector<std::string> columns,
                std::vector<BatchInsert*> refers_to = {});

    void add(Connection& c, std::initializer_list<Value> row);
    void flush(Connection& c);
    std::int64_t written() const { return written_; }

  private:
    std::string sql_for(std::size_t rows) const;

    std::string table_;
    std::vector<std::string> columns_;
    std::vector<BatchInsert*> refers_to_;
    std::vector<Value> pending_;
    std::int64_t written_ = 0;
};

// The secondary indexes of `tables` (not those behind a constraint), as (name, statement that
// makes it again).
using IndexDefinitions = std::vector<std::pair<std::string, std::string>>;
IndexDefinitions secondary_indexes(Connection& c, const std::vector<std::string>& tables);
// Drops them and returns them, to be made again with make_indexes() after the load.
IndexDefinitions drop_secondary_indexes(Connection& c, const std::vector<std::string>& tables);
void make_indexes(Connection& c, const IndexDefinitions& indexes);
// On PostgreSQL, moves each table's id sequence past the largest id (after explicit ids).
void advance_id_sequences(Connection& c, const std::vector<std::string>& tables);

}  // namespace gridgov::store
