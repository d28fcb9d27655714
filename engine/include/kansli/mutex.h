// A mutex the compiler can reason about: clang's thread-safety analysis
// (-Wthread-safety) checks that every member marked KANSLI_GUARDED_BY(mu)
// is touched only with `mu` held, and every function marked
// KANSLI_REQUIRES(mu) is called only so. GCC builds ignore the annotations;
// the clang build that checks them is `make thread-safety` (run by .ci/run).
//
//   class Cache {
//     kansli::Mutex mu_;
//     std::map<K, V> entries_ KANSLI_GUARDED_BY(mu_);
//     void evict() KANSLI_REQUIRES(mu_);
//   };
//   { kansli::MutexLock lock(mu_); entries_.clear(); }
//
// Waiting on a condition variable: MutexLock::wait releases the mutex while
// it waits and holds it again when it returns, as std::condition_variable
// does; write the condition as a loop in the caller, where the analysis sees
// the guarded members read under the lock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define KANSLI_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define KANSLI_THREAD_ANNOTATION(x)
#endif

#define KANSLI_CAPABILITY(x) KANSLI_THREAD_ANNOTATION(capability(x))
#define KANSLI_SCOPED_CAPABILITY KANSLI_THREAD_ANNOTATION(scoped_lockable)
#define KANSLI_GUARDED_BY(x) KANSLI_THREAD_ANNOTATION(guarded_by(x))
#define KANSLI_PT_GUARDED_BY(x) KANSLI_THREAD_ANNOTATION(pt_guarded_by(x))
#define KANSLI_REQUIRES(...) KANSLI_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define KANSLI_ACQUIRE(...) KANSLI_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define KANSLI_RELEASE(...) KANSLI_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define KANSLI_EXCLUDES(...) KANSLI_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))

namespace kansli {

class KANSLI_CAPABILITY("mutex") Mutex {
 public:
  void lock() KANSLI_ACQUIRE() { mu_.lock(); }
  void unlock() KANSLI_RELEASE() { mu_.unlock(); }

 private:
  friend class MutexLock;
  std::mutex mu_;
};

// Holds a Mutex for its scope.
class KANSLI_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) KANSLI_ACQUIRE(mu) : lock_(mu.mu_) {}
  ~MutexLock() KANSLI_RELEASE() {}
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  // Waits for `cv` to be notified (or a spurious wake-up): the mutex is
  // released meanwhile and held again when this returns.
  void wait(std::condition_variable& cv) { cv.wait(lock_); }
  // The same, for at most `d`; false when the time ran out.
  template <class Rep, class Period>
  bool waitFor(std::condition_variable& cv, std::chrono::duration<Rep, Period> d) {
    return cv.wait_for(lock_, d) == std::cv_status::no_timeout;
  }

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace kansli
