// Package reliability holds end-to-end reliability tests of the dossier
// generator; it has no code of its own. See docs/reliability.md:
//
//   - TestBadInput walks the bad-input corpus in testdata/bad-input: each
//     case breaks (or stretches) a small valid site and states the exact
//     diagnostics, or the output, the build must give, without a panic and
//     without touching the previous public/ on failure.
//   - TestKilledBuildLeavesACompleteSite builds the binary, kills builds of
//     a large generated site with SIGKILL at random moments, and checks that
//     public/ is always one whole site.
package reliability
