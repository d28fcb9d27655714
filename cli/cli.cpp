#include "cli.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "kansli/csv_import.h"
#include "kansli/engine.h"
#include "kansli/migrate_store.h"
#include "kansli/render.h"
#include "kansli/text.h"
#include "kansli/workflow.h"
#include "kansli/writers.h"

namespace kansli::cli {

std::string home() {
  if (const char* h = std::getenv("KANSLI_HOME"); h && *h) return h;
  return KANSLI_HOME_DEFAULT;
}

bool parseOptions(const Args& args, const std::vector<std::string>& valued,
                  const std::vector<std::string>& flags, Options& out, std::string& error) {
  auto contains = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0) {
      out.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if (contains(flags, name)) {
      out.values[name] = "1";
    } else if (contains(valued, name)) {
      if (!inline_value) {
        if (i + 1 >= args.size()) {
          error = "--" + name + " kräver ett värde";
          return false;
        }
        value = args[++i];
      }
      out.values[name] = value;
    } else {
      error = "okänd flagga --" + name;
      return false;
    }
  }
  return true;
}

int usage(int code) {
  (code ? std::cerr : std::cout) <<
      "Användning: kansli KOMMANDO [FLAGGOR]\n"
      "\n"
      "  serve --data-dir DIR [--database URL] [--port N] [--bind ADDR] [--demo] [--org FIL]\n"
      "        [--workflows KATALOG] [--clock-file FIL]\n"
      "      kör tjänsten; --demo fyller en tom datakatalog med exempeldata;\n"
      "      organisationen läses från --org eller DIR/organisation.xml;\n"
      "      --tls-cert CERT.pem --tls-key NYCKEL.pem: HTTPS (TLS 1.2+) med HSTS\n"
      "      --smtp-host H [--smtp-port P] [--smtp-from ADRESS] [--smtp-ca CA.pem]:\n"
      "      skickar protokollsutdrag (expediering) och påminnelser med e-post via H\n"
      "      (STARTTLS när servern erbjuder det); utan --smtp-host skickas ingen e-post\n"
      "      --metrics-bind ADRESS:PORT: en egen lyssnare för mätvärden (/metrics, /health)\n"
      "      --max-upload-mib N: största handling (standard 50 MiB)\n"
      "      --clock-file FIL: tiden tas från FIL (en tidpunkt i UTC, t.ex.\n"
      "      2020-10-05T08:00:00Z) och läses om när filen ändras; endast för test och\n"
      "      demonstration, aldrig i drift\n"
      "  user add --data-dir DIR|--database URL --username U --role R [--unit ENHET]\n"
      "        [--committee NÄMND] [--name \"FULLSTÄNDIGT NAMN\"] [--title TITEL]\n"
      "        [--email E-POST] [--phone TELEFON]\n"
      "      lägger till en användare; lösenordet läses från standard in\n"
      "  audit verify --data-dir DIR|--database URL\n"
      "      kontrollerar granskningsloggens hashkedja\n"
      "  check [--templates KATALOG] KATALOG_ELLER_FIL...\n"
      "      kontrollerar arbetsgångar, mallar, organisations- och tjänsteskrivelsefiler;\n"
      "      en tjänsteskrivelse mot mallen den anger (--templates eller templates/ bredvid den)\n"
      "  render --data-dir DIR [--database URL] --case DNR_ELLER_ID\n"
      "        --format xml|txt|html|pdf|docx|odt [--version N] [--out FIL]\n"
      "      skriver ut ett ärendes tjänsteskrivelse\n"
      "  render --template MALL.xml --memo TJÄNSTESKRIVELSE.xml [--case ÄRENDE.json] [--org ORGANISATION.xml]\n"
      "         --format txt|html|pdf|docx|odt [--out FIL]\n"
      "      provar en mall utan databas (docs/templates.md)\n"
      "  import --data-dir DIR [--database URL] [--skip-bad] FIL.csv\n"
      "      läser in ett äldre diarium (behåller diarienumren); allt eller inget utan --skip-bad\n"
      "  backup --data-dir DIR|--database URL --to FIL\n"
      "      tar en konsistent kopia av databasen medan tjänsten kör (PostgreSQL: pg_dump,\n"
      "      återställs med pg_restore)\n"
      "  migrate-store --data-dir DIR --to postgresql://ANVÄNDARE@VÄRD:PORT/DB\n"
      "      kopierar datakatalogens SQLite-databas till en tom PostgreSQL-databas och\n"
      "      kontrollerar kopian (antal rader, granskningskedjan med samma hashar)\n"
      "\n"
      "--database postgresql://ANVÄNDARE@VÄRD:PORT/DB: databasen finns i PostgreSQL i\n"
      "stället för DIR/kansli.db (datakatalogen har kvar organisationsfilen och mallarna);\n"
      "flera tjänstenoder kan dela en sådan databas. Lösenordet tas från PGPASSWORD\n"
      "eller ~/.pgpass.\n"
      "\n"
      "Roller: registrator, handlaggare, enhetschef, namndsekreterare, ledamot, admin\n";
  return code;
}

namespace {

const Clock& clock() {
  static const SystemClock system;
  return system;
}

// The database alone, for the commands that need no organisation file:
// the SQLite file in --data-dir, or the PostgreSQL database of --database.
Result<std::unique_ptr<Database>> openDatabase(const Options& o, bool create) {
  EngineConfig config;
  config.data_dir = o.get("data-dir");
  config.database_url = o.get("database");
  config.readers = 1;
  config.create_database = create;
  return Database::open(config, clock());
}

// The whole engine over a data dir (--org names the organisation file).
Result<std::unique_ptr<Engine>> openEngine(const Options& o, bool create) {
  EngineConfig config;
  config.data_dir = o.get("data-dir");
  config.database_url = o.get("database");
  config.home = home();
  config.organisation_file = o.get("org");
  config.readers = 1;
  config.create_database = create;
  return Engine::open(config, clock());
}

int fail(const std::string& msg) {
  std::cerr << "kansli: " << msg << "\n";
  return 1;
}

}  // namespace

int userAdd(const Args& args) {
  Options o;
  std::string err;
  if (!parseOptions(args, {"data-dir", "database", "username", "role", "unit", "committee", "name",
                           "title", "email", "phone"},
                    {}, o, err)) {
    return fail(err);
  }
  if (!o.has("data-dir") && !o.has("database")) return fail("--data-dir eller --database krävs");
  for (const char* req : {"username", "role"}) {
    if (!o.has(req)) return fail(std::string("--") + req + " krävs");
  }
  auto role = parseRole(o.get("role"));
  if (!role) return fail("okänd roll " + o.get("role"));
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  std::error_code ec;
  if (!o.has("database")) std::filesystem::create_directories(o.get("data-dir"), ec);
  auto db = openDatabase(o, true);
  if (!db) return fail(db.error().message);
  NewUser nu{o.get("username"), o.get("name"), *role, std::nullopt, std::nullopt,
             o.get("title"), o.get("email"), o.get("phone")};
  if (o.has("unit")) nu.unit = o.get("unit");
  if (o.has("committee")) nu.committee = o.get("committee");
  // The program's own command acts as "system" (the audit log names only
  // users of the database, and the program).
  auto u = (*db)->accounts().addUser(nu, password, audit::Actor::system());
  if (!u) {
    std::string msg = u.error().message;
    for (const auto& f : u.error().fields) msg += "; " + f.field + ": " + f.message;
    return fail(msg);
  }
  std::cout << "Användaren " << u->username << " (" << roleName(u->role) << ") är tillagd.\n";
  return 0;
}

int auditVerify(const Args& args) {
  Options o;
  std::string err;
  if (!parseOptions(args, {"data-dir", "database"}, {}, o, err)) return fail(err);
  if (!o.has("data-dir") && !o.has("database")) return fail("--data-dir eller --database krävs");
  auto db = openDatabase(o, false);
  if (!db) return fail(db.error().message);
  auto report = (*db)->verifyAudit();
  if (!report) return fail(report.error().message);
  if (report->first_problem) {
    std::cout << "BRUTEN: " << *report->first_problem << "\n";
    return 1;
  }
  std::cout << "OK: " << report->events_checked << " händelser, kedjan är obruten\n";
  return 0;
}

int importCsv(const Args& args) {
  Options o;
  std::string err;
  if (!parseOptions(args, {"data-dir", "database", "org"}, {"skip-bad"}, o, err)) return fail(err);
  if (!o.has("data-dir") || o.positional.size() != 1) {
    return fail("användning: kansli import --data-dir DIR [--skip-bad] FIL.csv");
  }
  std::ifstream in(o.positional[0], std::ios::binary);
  if (!in) return fail(o.positional[0] + ": filen kan inte läsas");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = parseImportCsv(text);
  if (!parsed) return fail(o.positional[0] + ": " + parsed.error().message);

  auto engine = openEngine(o, true);
  if (!engine) return fail(engine.error().message);
  const audit::Actor actor = audit::Actor::system();
  bool skip_bad = o.has("skip-bad");
  auto report = (*engine)->diarium().importRows(
      *parsed, skip_bad, actor,
      [](int done, int total) {
        std::cerr << "\rimporterar: " << done << " av " << total << " ("
                  << (total ? done * 100 / total : 100) << " %)" << std::flush;
      });
  if (!report) return fail(report.error().message);
  std::vector<FieldError> bad = report->bad_rows;
  // Fields are "rad N": in file order.
  auto line = [](const FieldError& e) {
    return text::parseInteger(std::string_view(e.field).substr(4), 0, 1'000'000'000).value_or(0);
  };
  std::sort(bad.begin(), bad.end(),
            [&](const FieldError& a, const FieldError& b) { return line(a) < line(b); });
  if (report->imported > 0) std::cerr << "\n";
  for (const auto& b : bad) std::cerr << o.positional[0] << ": " << b.field << ": " << b.message << "\n";
  if (!bad.empty() && !skip_bad) {
    std::cerr << "kansli: " << bad.size()
              << " felaktiga rader; inget importerades (--skip-bad importerar de korrekta)\n";
    return 1;
  }
  std::cout << "Importerade " << report->imported << " ärenden";
  if (!bad.empty()) std::cout << ", hoppade över " << bad.size() << " felaktiga rader";
  std::cout << ".\n";
  return 0;
}

namespace {

// The root element's name, read without a parser: enough to route a file to
// the checker that knows its kind (each checker then parses it properly).
std::string rootElement(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  size_t i = 0;
  while ((i = head.find('<', i)) != std::string::npos) {
    if (i + 1 < head.size() && (head[i + 1] == '?' || head[i + 1] == '!')) {
      ++i;
      continue;
    }
    size_t end = head.find_first_of(" \t\r\n/>", i + 1);
    return head.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1);
  }
  return "";
}

}  // namespace

namespace {

// The template a memo is written for (<memo template>, "tjansteskrivelse" when
// it names none): from --templates DIR if given, else the templates/ folder
// beside the memo (a municipality's data dir), then the shipped ones.
Result<Template> templateOfMemo(const Memo& m, const std::string& memo_file, const Options& o) {
  const std::string name = m.template_name.empty() ? "tjansteskrivelse" : m.template_name;
  std::filesystem::path dir;
  if (o.has("templates")) {
    dir = o.get("templates");
  } else if (auto beside = std::filesystem::path(memo_file).parent_path() / "templates";
             std::filesystem::is_directory(beside)) {
    dir = beside;
  }
  return loadTemplateByName(name, dir);
}

std::string readAll(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

int check(const Args& args) {
  Options o;
  std::string err;
  if (!parseOptions(args, {"templates"}, {}, o, err)) return fail(err);
  if (o.positional.empty()) return fail("användning: kansli check [--templates KATALOG] KATALOG_ELLER_FIL...");
  std::vector<std::string> files;
  for (const auto& p : o.positional) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::string> in_dir;
      for (const auto& e : std::filesystem::directory_iterator(p, ec)) {
        if (e.path().extension() == ".xml") in_dir.push_back(e.path().string());
      }
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else if (std::filesystem::exists(p, ec)) {
      files.push_back(p);
    } else {
      std::cout << p << ":0: filen finns inte\n";
      return 1;
    }
  }
  int problems = 0, checked = 0;
  std::vector<std::string> workflow_files;
  for (const auto& f : files) {
    std::string root = rootElement(f);
    if (root == "workflow") {
      workflow_files.push_back(f);
    } else if (root == "organisation") {
      ++checked;
      for (const auto& p : checkOrganisation(f, home() + "/schemas/organisation.rng")) {
        std::cout << p.str() << "\n";
        ++problems;
      }
    } else if (root == "template") {
      ++checked;
      auto t = loadTemplate(f);
      if (!t) {
        std::cout << t.error().message << "\n";
        ++problems;
      }
    } else if (root == "memo") {
      ++checked;
      auto m = parseMemo(readAll(f), f);
      if (!m) {
        std::cout << m.error().message << "\n";
        ++problems;
        continue;
      }
      // Against the template it is written for: the sections the template
      // requires, and a place for every section it has (what the server
      // would refuse when the memo is saved).
      auto t = templateOfMemo(*m, f, o);
      if (!t) {
        std::cout << f << ":1: " << t.error().message << "\n";
        ++problems;
      } else if (auto fits = checkMemoSections(*t, *m); !fits) {
        const std::string& msg = fits.error().message;
        std::cout << (msg.rfind(f + ":", 0) == 0 ? msg : f + ":1: " + msg) << "\n";
        ++problems;
      }
    } else {
      std::cout << f << ":1: okänd filtyp <" << root
                << "> (känner workflow, template, organisation och memo)\n";
      ++problems;
    }
  }
  if (!workflow_files.empty()) {
    checked += static_cast<int>(workflow_files.size());
    for (const auto& p : workflow::check(workflow_files)) {
      std::cout << p.str() << "\n";
      ++problems;
    }
  }
  if (problems) {
    std::cerr << "kansli: " << problems << " fel i " << checked << " filer\n";
    return 1;
  }
  std::cout << "OK: " << checked << " filer utan fel\n";
  return 0;
}

namespace {

std::string writeOut(const Options& o, const std::string& out) {
  if (o.has("out")) {
    std::ofstream f(o.get("out"), std::ios::binary);
    if (!f || !(f << out) || !f.flush()) return "kan inte skriva " + o.get("out");
  } else {
    std::cout << out;
  }
  return {};
}

// kansli render --template FILE --memo FILE [--case FILE.json] [--org FILE]:
// a memo through a template without a database (docs/templates.md §8).
int renderOffline(const Options& o) {
  if (!o.has("memo")) {
    return fail("användning: kansli render --template MALL.xml --memo TJÄNSTESKRIVELSE.xml "
                "[--case ÄRENDE.json] [--org ORGANISATION.xml] --format txt|html|pdf|docx|odt [--out FIL]");
  }
  auto t = loadTemplate(o.get("template"));
  if (!t) return fail(t.error().message);
  auto m = parseMemo(readAll(o.get("memo")), o.get("memo"));
  if (!m) return fail(m.error().message);
  CaseFacts facts;
  if (o.has("case")) {
    if (!std::filesystem::is_regular_file(o.get("case"))) return fail(o.get("case") + ": filen finns inte");
    auto c = parseCaseJson(readAll(o.get("case")), o.get("case"));
    if (!c) return fail(c.error().message);
    facts = std::move(*c);
  }
  if (o.has("org")) {
    auto org = loadOrganisation(o.get("org"), home() + "/schemas/organisation.rng");
    if (!org) return fail(org.error().message);
    facts.org = orgFactsOf(*org);
  }
  auto f = parseFormat(o.get("format", "txt"));
  if (!f) return fail("okänt format " + o.get("format") + " (txt, html, pdf, docx, odt)");
  auto d = renderMemo(*t, facts, *m);
  if (!d) return fail(d.error().message);
  auto written = writeDocument(*d, *f);
  if (!written) return fail(written.error().message);
  if (std::string problem = writeOut(o, *written); !problem.empty()) return fail(problem);
  return 0;
}

}  // namespace

int render(const Args& args) {
  Options o;
  std::string err;
  if (!parseOptions(args, {"data-dir", "database", "case", "format", "out", "version", "org", "template", "memo"}, {},
                    o,
                    err)) {
    return fail(err);
  }
  if (o.has("template")) return renderOffline(o);
  if (!o.has("data-dir") || !o.has("case")) {
    return fail(
        "användning: kansli render --data-dir DIR --case DNR_ELLER_ID "
        "--format xml|txt|html|pdf|docx|odt [--version N] [--out FIL]\n"
        "   eller: kansli render --template MALL.xml --memo TJÄNSTESKRIVELSE.xml [--case ÄRENDE.json] "
        "[--org ORGANISATION.xml] --format … [--out FIL]");
  }
  auto engine = openEngine(o, false);
  if (!engine) return fail(engine.error().message);
  std::string key = o.get("case");
  Result<Case> c = std::unexpected(Error::notFound(""));
  if (auto id = text::parseInteger(key, 0, 999'999'999'999'999'999)) {
    c = (*engine)->diarium().getCase(*id);
  } else {
    c = (*engine)->diarium().getCaseByDnr(key);
  }
  if (!c) return fail(key + ": " + c.error().message);
  std::optional<int> version;
  if (o.has("version")) {
    auto n = text::parseInteger(o.get("version"), 1, 1'000'000'000);
    if (!n) return fail("--version måste vara ett tal");
    version = static_cast<int>(*n);
  }
  std::string format = o.get("format", "txt");
  std::string out;
  if (format == "xml") {
    auto m = (*engine)->memos().version(c->id, version, Viewer::system());
    if (!m) return fail(m.error().message);
    out = m->xml;
  } else {
    auto d = (*engine)->memos().render(c->id, version, Viewer::system());
    if (!d) return fail(d.error().message);
    auto f = parseFormat(format);
    if (!f) return fail("okänt format " + format + " (xml, txt, html, pdf, docx, odt)");
    auto written = writeDocument(*d, *f);
    if (!written) return fail(written.error().message);
    out = std::move(*written);
  }
  if (std::string problem = writeOut(o, out); !problem.empty()) return fail(problem);
  return 0;
}

int backup(const Args& args) {
  Options o;
  std::string err;
  if (!parseOptions(args, {"data-dir", "database", "to"}, {}, o, err)) return fail(err);
  if ((!o.has("data-dir") && !o.has("database")) || !o.has("to")) {
    return fail("--data-dir (eller --database) och --to krävs");
  }
  if (std::filesystem::exists(o.get("to"))) return fail(o.get("to") + " finns redan");
  auto db = openDatabase(o, false);
  if (!db) return fail(db.error().message);
  auto r = (*db)->backupTo(o.get("to"));
  if (!r) return fail(r.error().message);
  std::cout << "Kopian är skriven till " << o.get("to") << "\n";
  return 0;
}

int migrateStore(const Args& args) {
  Options o;
  std::string err;
  if (!parseOptions(args, {"data-dir", "to"}, {}, o, err)) return fail(err);
  if (!o.has("data-dir") || !o.has("to")) {
    return fail("användning: kansli migrate-store --data-dir DIR --to postgresql://ANVÄNDARE@VÄRD:PORT/DB");
  }
  if (!o.get("to").starts_with("postgresql://") && !o.get("to").starts_with("postgres://")) {
    return fail("--to måste vara en PostgreSQL-URL (postgresql://ANVÄNDARE@VÄRD:PORT/DB)");
  }
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  std::string last_table;
  auto report = migrateStoreToPostgres(
      o.get("data-dir") + "/kansli.db", o.get("to"),
      [&](std::int64_t done, std::int64_t total, const std::string& table) {
        // A bar that redraws itself on a terminal; one line per table in a log.
        int percent = total ? static_cast<int>(done * 100 / total) : 100;
        if (tty) {
          std::string bar(static_cast<size_t>(percent / 4), '#');
          bar.resize(25, ' ');
          std::cerr << "\r[" << bar << "] " << percent << " % (" << done << " av " << total
                    << " rader) " << table << "\x1b[K" << std::flush;
        } else if (table != last_table) {
          std::cerr << "kopierar " << table << " (" << percent << " % av " << total << " rader)\n";
        }
        last_table = table;
      });
  if (tty) std::cerr << "\n";
  if (!report) return fail(report.error().message);
  for (const auto& [table, rows] : report->tables) {
    std::cout << "  " << table << ": " << rows << " rader\n";
  }
  std::printf(
      "Kopierade %lld rader på %.1f s. Granskningskedjan är kontrollerad i PostgreSQL: %lld "
      "händelser, sista hash %s (samma som i SQLite).\n",
      static_cast<long long>(report->rows), report->seconds,
      static_cast<long long>(report->audit_events), report->audit_tip_hash.c_str());
  return 0;
}

}  // namespace kansli::cli
