// The web client (api/web/) and the one route it needs beyond the JSON API.
//
// GET /              the app shell (api/web/index.html)
// GET /static/{file} the client's files: HTML, CSS, JavaScript modules, SVG
// POST /api/v1/cases/{id}/memo/preview?format=html|txt|pdf
//                    renders memo XML that is not saved, by the real template
//
// The files are read into memory once, when the routes are added: only names
// of [a-z0-9._-] (no leading dot) that are regular files directly in api/web
// are served, so no request can reach anything else. Each answer carries a
// strong ETag (a hash of the content) and Cache-Control: no-cache, so a
// browser revalidates (304) and never runs an old module after an upgrade.
// The client talks to the service only through the public JSON API.
#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "documents.h"
#include "service.h"

namespace kansli::api {
namespace {

// The pages' policy: no inline scripts or styles anywhere in the client.
constexpr const char* kPageCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

struct StaticFile {
  std::string content_type;
  std::string body;
  std::string etag;
};

bool servableName(const std::string& name) {
  if (name.empty() || name.size() > 100 || name.front() == '.') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string contentTypeFor(const std::string& name) {
  auto ext = std::filesystem::path(name).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "";  // not served
}

std::map<std::string, StaticFile> loadWebFiles(const std::filesystem::path& dir) {
  std::map<std::string, StaticFile> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_regular_file(ec) || !servableName(name)) continue;
    std::string type = contentTypeFor(name);
    if (type.empty()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) continue;
    StaticFile f;
    f.content_type = type;
    f.body = text.str();
    Poco::SHA1Engine sha;
    sha.update(f.body.data(), static_cast<unsigned>(f.body.size()));
    f.etag = "\"" + Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 20) + "\"";
    files.emplace(name, std::move(f));
  }
  return files;
}

Response serveFile(const Request& req, const StaticFile& f) {
  Response res;
  if (req.header("if-none-match") == f.etag) {
    res.status = 304;
  } else {
    res.content_type = f.content_type;
    res.body = f.body;
  }
  return res.header("ETag", f.etag)
      .header("Cache-Control", "no-cache")
      .header("Content-Security-Policy", kPageCsp);
}

}  // namespace

void addWebRoutes(Router& r, Service& s) {
  auto files = std::make_shared<const std::map<std::string, StaticFile>>(
      loadWebFiles(std::filesystem::path(s.config().home) / "api" / "web"));

  r.addPublic("GET", "/", [files](Request& req, const Visitor&) {
    auto it = files->find("index.html");
    if (it == files->end()) {
      return Response::problem(404, "webbklienten finns inte i den här installationen");
    }
    return serveFile(req, it->second);
  });

  r.addPublic("GET", "/static/{file}", [files](Request& req, const Visitor&) {
    const std::string& name = req.params.at("file");
    auto it = servableName(name) ? files->find(name) : files->end();
    if (it == files->end()) return Response::problem(404, "filen finns inte");
    return serveFile(req, it->second);
  });

  r.add("POST", "/api/v1/cases/{id}/memo/preview",
        Access::roles_({Role::kHandlaggare, Role::kEnhetschef}),
        [&s](Request& req, const User& user) {
          auto id = pathId(req, "id", "ärendet");
          if (!id) return Response::problem(id.error());
          std::string ct = req.header("content-type");
          if (!ct.empty() && ct.find("xml") == std::string::npos) {
            return Response::problem(Error::invalid(
                "tjänsteskrivelsen skickas som XML (Content-Type: application/xml)",
                {{"Content-Type", "förväntade application/xml"}}));
          }
          auto format = negotiateFormat(req, {"html", "txt", "pdf"}, "html");
          if (!format) return format.error();
          // As GET .../memo: a case outside the caller's sight is not found.
          auto d = s.memos().preview(*id, req.body, user,
                                     RenderOptions{.cancelled = req.client_gone});
          if (!d) return Response::problem(d.error());
          return documentResponse(*d, *format, req.client_gone);
        });
}

}  // namespace kansli::api
