// numen: the command-line face of the core. Every subcommand reads files, calls the public API, and prints.
// Exit codes: 0 success, 1 a problem in the user's files or a failed solve, 2 a usage error.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "numen/version.h"

int main(int argc, char** argv) {
  CLI::App app{"numen " NUMEN_VERSION ": simulate and characterize engineering dynamics"};
  app.set_version_flag("--version", std::string("numen ") + NUMEN_VERSION);
  app.require_subcommand(1);
  numen::cli::add_run(app);
  numen::cli::add_validate(app);
  numen::cli::add_inspect(app);
  numen::cli::add_methods(app);
  numen::cli::add_schema(app);
  numen::cli::add_characterize(app);
  numen::cli::add_merge(app);
  numen::cli::add_units(app);
  numen::cli::add_functions(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "numen: " << e.what() << "\n"
              << "Run `numen --help` for usage.\n";
    return 2;
  } catch (const std::exception& e) {
    // The commands report every error they know of with its place; anything else is a defect of numen, reported
    // as one rather than ending in std::terminate.
    std::cerr << "numen: internal error: " << e.what() << " (a defect of numen; please report it with the input)\n";
    return 1;
  }
  return numen::cli::exit_code();
}
