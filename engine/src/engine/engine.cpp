#include "kansli/engine.h"

#include <filesystem>

#include "store/store.h"

namespace kansli {

Engine::Engine(EngineConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(const EngineConfig& config, const Clock& clock) {
  std::unique_ptr<Engine> e(new Engine(config, clock));
  std::string org_file = config.organisation_file.empty()
                             ? config.data_dir + "/organisation.xml"
                             : config.organisation_file;
  if (!std::filesystem::exists(org_file)) {
    return std::unexpected(Error::notFound(
        "organisationsfilen " + org_file +
        " saknas (kopiera samples/nacka/organisation.xml dit, eller starta med --demo)"));
  }
  KANSLI_ASSIGN_OR_RETURN(e->organisation_,
                          loadOrganisation(org_file, config.home + "/schemas/organisation.rng"));

  std::string wf_dir = config.workflows_dir;
  if (wf_dir.empty()) {
    wf_dir = std::filesystem::is_directory(config.data_dir + "/workflows")
                 ? config.data_dir + "/workflows"
                 : config.home + "/workflows";
  }
  KANSLI_ASSIGN_OR_RETURN(
      e->workflows_,
      workflow::loadWorkflows(wf_dir, {.schema = config.home + "/workflows/workflow.rng"}));

  KANSLI_ASSIGN_OR_RETURN(e->database_, Database::open(config, clock));
  store::Store& store = e->database_->store();
  Engine* self = e.get();
  e->diarium_ = std::make_unique<Diarium>(
      store, clock, e->organisation_,
      [self](const std::string& kind, const std::string& received, const std::string& today) {
        return self->workflows_.startFor(kind, received, today);
      },
      config.diarium);
  const std::string templates = config.data_dir + "/templates";
  e->case_flow_ = std::make_unique<CaseFlow>(store, clock, e->organisation_, e->workflows_,
                                             *e->diarium_, templates);
  e->memos_ = std::make_unique<Memos>(store, clock, e->organisation_, templates, &e->workflows_);
  e->meetings_ = std::make_unique<Meetings>(store, clock, e->organisation_, *e->diarium_,
                                            *e->case_flow_, *e->memos_, templates);
  e->outbox_ = std::make_unique<Outbox>(store, clock, config.mail);
  e->expediering_ = std::make_unique<Expediering>(store, clock, e->organisation_, *e->diarium_,
                                                  *e->meetings_, *e->outbox_);
  e->reminders_ = std::make_unique<Reminders>(store, clock, e->organisation_, e->workflows_,
                                              *e->diarium_, e->database_->accounts(),
                                              *e->outbox_, config.reminders);
  return e;
}

Result<std::unique_ptr<Database>> Database::open(const EngineConfig& config, const Clock& clock) {
  std::unique_ptr<Database> d(new Database(clock));
  const std::string db = config.data_dir + "/kansli.db";
  if (config.database_url.empty() && !config.create_database && !std::filesystem::exists(db)) {
    return std::unexpected(Error::notFound("det finns ingen databas i " + config.data_dir));
  }
  KANSLI_ASSIGN_OR_RETURN(d->store_, store::Store::open({.path = db,
                                                         .url = config.database_url,
                                                         .readers = config.readers,
                                                         .create = config.create_database}));
  d->accounts_ = std::make_unique<Accounts>(*d->store_, clock, config.accounts);
  return d;
}

Database::Database(const Clock& clock) : clock_(clock) {}

Database::~Database() = default;

int Database::schemaVersion() const { return store_->schemaVersion(); }

std::int64_t Database::sizeBytes() const { return store_->sizeBytes(); }

bool Database::storageFull() const { return store_->storageFull(); }

Result<void> Database::backupTo(const std::string& to) { return store_->backupTo(to); }

Result<void> Database::record(const audit::Entry& e) {
  return audit::recordAudit(*store_, clock_.now(), e);
}

Result<audit::VerifyReport> Database::verifyAudit() { return audit::verifyAuditChain(*store_); }

}  // namespace kansli
