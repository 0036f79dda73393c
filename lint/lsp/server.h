#pragma once
/// The language server (`alembic-lint lsp`): LSP 3.17 over JSON-RPC on stdin/stdout.
///
/// Capabilities: incremental text sync (open, change, save, close), diagnostics pushed with
/// textDocument/publishDiagnostics for every file whose set changed (graph findings move
/// between files as the user edits), hover (rule docs on a diagnostic, locks of an `op.*`
/// call or a SQL statement), quick fixes (textDocument/codeAction). Positions are UTF-16.
/// Watches *.py and config files when the client supports dynamic registration.
///
/// Robustness: a malformed frame or malformed JSON, an unknown method, missing or mistyped
/// params, a document outside any Alembic environment or deleted on disk never stop the
/// server; only `exit` (or the end of stdin) does. Logs go to stderr and window/logMessage.

#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "lint/core/file_source.h"
#include "lint/lsp/lint_session.h"

namespace alint::lsp {

class Server {
 public:
  /// `send` receives each outgoing message body (a JSON text, unframed). `disk` must outlive
  /// the server.
  Server(const FileSource& disk, std::function<void(const std::string&)> send);
  ~Server();

  /// Handles one incoming message body (any text: malformed JSON gets a ParseError response).
  void Handle(std::string_view body);
  /// Answers a message the reader skipped unread (over the size limit): an Invalid Request
  /// error with a null id, as JSON-RPC 2.0 asks when the id cannot be known.
  void RejectUnread(const std::string& why);
  /// True once `exit` was received.
  bool exited() const { return exited_; }
  /// The process exit status LSP asks for: 0 when `shutdown` came before `exit`, else 1.
  int exit_code() const { return shutdown_ ? 0 : 1; }

 private:
  using Json = nlohmann::json;

  void Dispatch(const std::string& method, const Json& params, const Json* id);
  Json Initialize(const Json& params);
  void Initialized();
  void DidOpen(const Json& params);
  void DidChange(const Json& params);
  void DidSave(const Json& params);
  void DidClose(const Json& params);
  void DidChangeWatchedFiles(const Json& params);
  Json Hover(const Json& params);
  Json CodeAction(const Json& params);

  void Publish();
  void Respond(const Json& id, Json result);
  void RespondError(const Json& id, int code, const std::string& message);
  void Notify(const std::string& method, Json params);
  void LogToClient(int type, const std::string& text);
  std::string UriFor(const std::string& path) const;
  Json DiagnosticJson(const Diagnostic& d) const;

  const FileSource& disk_;
  std::function<void(const std::string&)> send_;
  std::unique_ptr<LintSession> session_;
  bool initialized_ = false;
  bool shutdown_ = false;
  bool exited_ = false;
  bool watch_files_ = false;  ///< client supports dynamic didChangeWatchedFiles
  bool related_info_ = true;  ///< client accepts relatedInformation
  int next_request_id_ = 1;
  std::map<std::string, std::string> uris_;  ///< path -> the URI the client used
  std::map<std::string, int> versions_;      ///< path -> open document version
};

/// Runs the server on framed streams until `exit` or the end of `in`; returns the exit status.
int RunServer(std::istream& in, std::ostream& out, const FileSource& disk);

/// `alembic-lint lsp`: RunServer on stdin/stdout with the real file system.
int RunLsp();

}  // namespace alint::lsp
