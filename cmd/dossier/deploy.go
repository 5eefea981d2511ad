package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/dossier-ssg/dossier/generator"
)

func init() { commands["deploy"] = cmdDeploy }

func cmdDeploy(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("deploy", `Usage: dossier deploy [flags]

Builds the site into public/ (or --dest), then sends it to a deploy target
of dossier.toml ([[deploy.targets]]: s3://, gs://, azblob:// or file://).
Only the files that changed are sent; new assets go first, then pages,
then feeds and the sitemap, and deletes come last. A deploy cut short is
completed by running it again. Credentials come from the environment and
the providers' own files, never from dossier.toml (docs/publishing.md).

The target's manifest (.dossier-deploy.json) says what it holds, so a
deploy need not list a large bucket; --verify lists it and compares every
file, and repairs a target changed by hand.

Examples:
  dossier deploy --dry-run                  # what would change
  dossier deploy --target production
  dossier deploy --max-deletes 2000         # a big cleanup, on purpose
  dossier build && dossier deploy --no-build

Flags:
`, stderr)
	var s siteFlags
	s.register(fs, false)
	target := fs.String("target", "", "the deploy target's `name` in dossier.toml (default: the first)")
	dryRun := fs.Bool("dry-run", false, "print what would be uploaded, updated and deleted; change nothing")
	maxDeletes := fs.Int("max-deletes", -2, "refuse to delete more than `N` files (-1: no bound; default: deploy.maxDeletes, else 256)")
	workers := fs.Int("workers", 8, "parallel uploads")
	noBuild := fs.Bool("no-build", false, "deploy public/ (or --dest) as it was built, without building it again")
	verify := fs.Bool("verify", false, "list the target and compare every file's content, not only the deploy's manifest (repairs a target changed by hand)")
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dossier deploy: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *maxDeletes < -2 || *workers < 1 {
		fmt.Fprintln(stderr, "dossier deploy: --max-deletes takes a number of files or -1, --workers a number above 0")
		return 2
	}
	o := generator.DeployOptions{Site: s.options(), Dest: s.destination(), Target: *target, DryRun: *dryRun, NoBuild: *noBuild, Verify: *verify, Workers: *workers, Log: stdout}
	if *maxDeletes != -2 {
		o.MaxDeletes = maxDeletes
	}
	o.Site.Waiting = waitingMessage(stderr, s.destination())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, sum, err := generator.Deploy(ctx, o)
	if err != nil {
		return reportErrors(stderr, err)
	}
	printWarnings(stderr, res.Warnings)
	if !*dryRun {
		fmt.Fprintf(stdout, "Deployed %s: %s\n", s.destination(), sum)
	}
	return 0
}
