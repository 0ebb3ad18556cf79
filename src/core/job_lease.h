#pragma once

#include <chrono>
#include <string>

#include "core/clock.h"
#include "core/store.h"

namespace lontar {

// A lease in the database that one server of a cluster holds at a time, so that a job
// (issuing approved requests, expiring tokens, sending notices) runs once across the
// cluster, not once per server. The holder renews it each round; when it dies the
// lease runs out and another server takes it; a server that stops releases it. A change
// of holder is audited (`jobs.lease_taken`), so the trail shows who ran the jobs when.
class JobLease final {
 public:
  JobLease(Store& store, const Clock& clock, std::string name, std::string holder, std::chrono::seconds duration)
      : store_(store), clock_(clock), name_(std::move(name)), holder_(std::move(holder)), duration_(duration) {}

  // Takes or renews the lease; true when this server holds it now.
  bool hold();
  // Gives it up if held (a clean stop), so the next server need not wait it out.
  void release();
  const std::string& holder() const { return holder_; }

 private:
  Store& store_;
  const Clock& clock_;
  std::string name_;
  std::string holder_;
  std::chrono::seconds duration_;
};

}  // namespace lontar
