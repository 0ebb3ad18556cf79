#include "storage/soci_repositories.h"

namespace lontar::storage {

std::optional<UpstreamOrder> SociUpstreamRepository::find_order(std::int64_t request_id) {
  UpstreamOrder o;
  sql_ << "SELECT request_id, transaction_id, state, attempts, next_attempt_at, leased_until, last_error, created_at, "
          "updated_at FROM upstream_orders WHERE request_id = :id",
      soci::use(request_id), soci::into(o.request_id), soci::into(o.transaction_id), soci::into(o.state),
      soci::into(o.attempts), soci::into(o.next_attempt_at), soci::into(o.leased_until), soci::into(o.last_error),
      soci::into(o.created_at), soci::into(o.updated_at);
  if (!sql_.got_data()) return std::nullopt;
  return o;
}

void SociUpstreamRepository::insert_order(const UpstreamOrder& o) {
  sql_ << "INSERT INTO upstream_orders (request_id, transaction_id, state, attempts, next_attempt_at, leased_until, "
          "last_error, created_at, updated_at) VALUES (:id, :tx, :state, :attempts, :next, :lease, :error, :created, "
          ":updated)",
      soci::use(o.request_id), soci::use(o.transaction_id), soci::use(o.state), soci::use(o.attempts),
      soci::use(o.next_attempt_at), soci::use(o.leased_until), soci::use(o.last_error), soci::use(o.created_at),
      soci::use(o.updated_at);
}

void SociUpstreamRepository::update_order(const UpstreamOrder& o) {
  sql_ << "UPDATE upstream_orders SET transaction_id = :tx, state = :state, attempts = :attempts, "
          "next_attempt_at = :next, leased_until = :lease, last_error = :error, updated_at = :updated "
          "WHERE request_id = :id",
      soci::use(o.transaction_id), soci::use(o.state), soci::use(o.attempts), soci::use(o.next_attempt_at),
      soci::use(o.leased_until), soci::use(o.last_error), soci::use(o.updated_at), soci::use(o.request_id);
}

bool SociUpstreamRepository::lease_order(std::int64_t request_id, std::int64_t now, std::int64_t until) {
  soci::statement update =
      (sql_.prepare << "UPDATE upstream_orders SET leased_until = :until, attempts = attempts + 1, updated_at = :now "
                       "WHERE request_id = :id AND leased_until <= :now2 AND next_attempt_at <= :now3",
       soci::use(until), soci::use(now), soci::use(request_id), soci::use(now), soci::use(now));
  update.execute(true);
  return update.get_affected_rows() > 0;
}

void SociUpstreamRepository::queue_revocation(std::string_view serial_hex, int reason, std::int64_t at) {
  const std::string serial(serial_hex);
  int known = 0;
  sql_ << "SELECT COUNT(*) FROM upstream_revocations WHERE serial_hex = :serial", soci::use(serial), soci::into(known);
  if (known > 0) return;
  sql_ << "INSERT INTO upstream_revocations (serial_hex, reason, state, created_at, updated_at) "
          "VALUES (:serial, :reason, 'pending', :created, :updated)",
      soci::use(serial), soci::use(reason), soci::use(at), soci::use(at);
}

std::vector<UpstreamRevocation> SociUpstreamRepository::due_revocations(std::int64_t now, std::int64_t limit) {
  UpstreamRevocation r;
  soci::statement st =
      (sql_.prepare << "SELECT serial_hex, reason, state, attempts, next_attempt_at, last_error "
                       "FROM upstream_revocations WHERE state = 'pending' AND next_attempt_at <= :now "
                       "ORDER BY next_attempt_at LIMIT :limit",
       soci::use(now), soci::use(limit), soci::into(r.serial_hex), soci::into(r.reason), soci::into(r.state),
       soci::into(r.attempts), soci::into(r.next_attempt_at), soci::into(r.last_error));
  st.execute(false);
  std::vector<UpstreamRevocation> out;
  while (st.fetch()) out.push_back(r);
  return out;
}

void SociUpstreamRepository::update_revocation(const UpstreamRevocation& r, std::int64_t at) {
  sql_ << "UPDATE upstream_revocations SET state = :state, attempts = :attempts, next_attempt_at = :next, "
          "last_error = :error, updated_at = :at WHERE serial_hex = :serial",
      soci::use(r.state), soci::use(r.attempts), soci::use(r.next_attempt_at), soci::use(r.last_error), soci::use(at),
      soci::use(r.serial_hex);
}

}  // namespace lontar::storage
