// Command locatiedesk is the Locatiedesk desktop app and its command line.
//
//	locatiedesk [--db PATH] [--demo] [--listen HOST:PORT]  start the window (--demo: fill an empty file with the demo first;
//	                                            --listen: where it answers the devices once a manager makes it the hub)
//	locatiedesk [--server URL] [--device-file FILE]  the window on the hub this device is paired with (by default, once paired)
//	locatiedesk setup --db PATH --organisation NAME --location NAME --manager NAME --password SECRET [--group NAME:KDV|BSO:CAPACITY ...]
//	locatiedesk account add --db PATH --name NAME --role staff|manager|office [--group NAME ...] [--location NAME ...] --secret PIN|PASSWORD
//	locatiedesk demo --db PATH                  fill an empty data file with the demo location
//	locatiedesk attendance --db PATH --group NAME --date YYYY-MM-DD [--format text|csv]
//	locatiedesk backup --db PATH -o FILE        hot backup, verified
//	locatiedesk restore --db PATH FILE          replace the data file by a verified backup
//	locatiedesk check --db PATH                 consistency check of the data file
//	locatiedesk generate --db PATH --locations N --children-per-location M --years Y
//	locatiedesk print studyday --db PATH --school NAME --date YYYY-MM-DD -o FILE.pdf [--location NAME]
//	locatiedesk print present --db PATH [--location NAME] [--group NAME] -o FILE.pdf   who is here right now
//	locatiedesk import consent --db PATH FILE.csv
//	locatiedesk import children --db PATH FILE.csv|FILE.xlsx [--dry-run] [--map "Their header=kindnummer" ...]
//	locatiedesk export children --db PATH [--location NAME] -o FILE.csv   children and contracts as the import reads them
//	locatiedesk export child --db PATH --child NAME|ID -o FILE.json|FILE.pdf   everything held about one child (AVG)
//	locatiedesk purge --db PATH                 remove personal data after the retention period, compact the file
//	locatiedesk purge --store postgres://…      the same on the organisation's database, vacuum the changed tables
//	locatiedesk export invoicing --db PATH --from YYYY-MM-DD --to YYYY-MM-DD [--location NAME] --format csv|xlsx -o FILE
//	locatiedesk serve --db PATH [--listen HOST:PORT] [--announce=false]  serve the data file to the location's devices (the hub), announced on the local network
//	locatiedesk serve --store postgres://… [--listen HOST:PORT] [--address https://HOST:PORT]  a hub on the organisation's PostgreSQL database (run several)
//	locatiedesk migrate --from PATH.db --to postgres://…  move a location's data file into the organisation's database
//	locatiedesk location-role --store postgres://… --role NAME [--password SECRET] --location NAME ...   a database role that sees only those locations
//	locatiedesk watch --server URL --user NAME --pin PIN   print each change as it happens
//	locatiedesk pair-code --db PATH|--server URL --user NAME --password SECRET [--name DEVICE]   a one-time code for a new device
//	locatiedesk pair --server URL --code CODE [--device-file FILE] [--name DEVICE]   pair this computer with the hub
//	locatiedesk devices --db PATH|--server URL --user NAME --password SECRET [--revoke NUMBER]   list or unpair devices
//
// Every command that reads or changes the data (attendance, account, backup,
// check, print, import, export, watch, pair-code, devices) takes --server URL
// [--device-file FILE] --user NAME --pin PIN|--password SECRET instead of
// --db, to work through the location's hub as the device paired into the
// device file (default: the window's), signed in as that person; setup,
// demo, generate, restore and purge work on a data file itself and refuse
// --server. On the hub's own computer, the commands given the hub's --db go
// through the hub. setup, purge and those commands also take --store
// postgres://… to work on the organisation's PostgreSQL database directly.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"locatiedesk/data/boltstore"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"early.locatiedesk/earlylocale"

	"locatiedesk/assets"
	"locatiedesk/data"
	"locatiedesk/data/boltstore/generate"
	"locatiedesk/data/demo"
	"locatiedesk/hub/client"
	"locatiedesk/reports"
	"locatiedesk/ui"
)

const appID = "nl.locatiedesk.app"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand, or starts the window; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	// Ctrl-C stops a long command between two store calls, never inside one.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		err := refuseServer(args[0], args[1:])
		if err == nil {
			err = runCommand(ctx, args, stdout, stderr)
		}
		if errors.Is(err, flag.ErrHelp) {
			return 0 // the flags are printed: what was asked for
		}
		if err != nil {
			fmt.Fprintln(stderr, "locatiedesk:", err)
			return 1
		}
		return 0
	}
	return runGUI(ctx, args, stderr)
}

// runCommand runs the subcommand args[0].
func runCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	switch args[0] {
	case "setup":
		return runSetup(ctx, args[1:], stdout)
	case "account":
		return runAccount(ctx, args[1:], stdout)
	case "demo":
		return runDemo(ctx, args[1:], stdout)
	case "attendance":
		return runAttendance(ctx, args[1:], stdout)
	case "backup":
		return runBackup(ctx, args[1:], stdout)
	case "restore":
		return runRestore(ctx, args[1:], stdout)
	case "check":
		return runCheck(ctx, args[1:], stdout)
	case "generate":
		return runGenerate(ctx, args[1:], stdout)
	case "print":
		return runPrint(ctx, args[1:], stdout)
	case "import":
		return runImport(ctx, args[1:], stdout, stderr)
	case "export":
		return runExport(ctx, args[1:], stdout, stderr)
	case "purge":
		return runPurge(ctx, args[1:], stdout)
	case "serve":
		return runServe(ctx, args[1:], stdout)
	case "watch":
		return runWatch(ctx, args[1:], stdout)
	case "pair-code":
		return runPairCode(ctx, args[1:], stdout)
	case "pair":
		return runPair(ctx, args[1:], stdout)
	case "devices":
		return runDevices(ctx, args[1:], stdout)
	case "migrate":
		return runMigrate(ctx, args[1:], stdout)
	case "location-role":
		return runLocationRole(ctx, args[1:], stdout)
	default:
		return fmt.Errorf("unknown command %q; commands: setup, account, demo, attendance, print, import, export, purge, backup, restore, check, generate, serve, watch, pair-code, pair, devices, migrate, location-role (or none to start the window)", args[0])
	}
}

// newFlags makes a flag set that reports errors instead of exiting, with --db.
func newFlags(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	path, err := data.DefaultPath()
	if err != nil {
		path = ""
	}
	db := fs.String("db", path, "the data file")
	return fs, db
}

// flagGiven reports whether the flag was on the command line: --date ""
// is a mistake to report, not the default.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// openStore opens the store a command works on: the data file at path,
// which must exist (a mistyped --db creates nothing), or, while a hub on
// this computer serves that file, the hub. Commands work through the
// data.Store interface only; this file is where a store is chosen.
func openStore(path string) (data.Store, error) {
	db, err := openFile(path)
	if errors.Is(err, data.ErrInUse) {
		if viaHub, hubErr := hubOf(path); hubErr == nil {
			return viaHub, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return db, nil
}

// createStore opens the data file for a command that starts a new one.
func createStore(path string) (data.Store, error) {
	return createFile(path)
}

// openFile opens an existing data file, for what only a local file can do
// (backups) as well as for openStore.
func openFile(path string) (*boltstore.DB, error) {
	if path == "" {
		return nil, errors.New("no data file: give one with --db PATH")
	}
	return boltstore.OpenExisting(path)
}

// createFile opens the data file, creating it (and its folder) when new:
// for the window's first start and the commands that fill a new file.
func createFile(path string) (*boltstore.DB, error) {
	if path == "" {
		return nil, errors.New("no data file: give one with --db PATH")
	}
	return boltstore.Open(path)
}

func runDemo(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dbPath := newFlags("demo")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := createFile(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := demo.Fill(ctx, db); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo location %q written to %s\n", demo.LocationName, db.Path())
	return nil
}

func runAttendance(ctx context.Context, args []string, stdout io.Writer) error {
	fs, at := newStoreFlags("attendance")
	groupName := fs.String("group", "", "the group's name (Location/Group where names repeat)")
	dateText := fs.String("date", "", "the day, YYYY-MM-DD (default today)")
	format := fs.String("format", "text", "text or csv")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format != "text" && *format != "csv" {
		return fmt.Errorf("unknown format %q: use text or csv", *format)
	}
	if *groupName == "" {
		return errors.New("name the group with --group")
	}
	db, err := at.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	day := db.Today()
	if flagGiven(fs, "date") {
		if day, err = data.ParseDate(*dateText); err != nil {
			return err
		}
	}
	group, err := db.GroupByName(ctx, *groupName)
	if err != nil {
		return err
	}
	list, err := db.DayList(ctx, group.ID, day)
	if err != nil {
		return err
	}
	if *format == "csv" {
		return reports.AttendanceCSV(stdout, list)
	}
	return reports.AttendanceText(stdout, list)
}

func runBackup(ctx context.Context, args []string, stdout io.Writer) error {
	fs, at := newStoreFlags("backup")
	out := fs.String("o", "", "the backup file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("name the backup file with -o FILE")
	}
	if at.elsewhere() {
		hub, err := at.open(ctx)
		if err != nil {
			return err
		}
		defer hub.Close()
		if err := boltstore.BackupFrom(ctx, hub, *out); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backup of the data of %s written to %s and verified\n", at, *out)
		return nil
	}
	dbPath := at.db
	db, err := openFile(*dbPath)
	if errors.Is(err, data.ErrInUse) {
		return backupThroughHub(ctx, *dbPath, *out, err, stdout)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.BackupTo(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup of %s written to %s and verified\n", db.Path(), *out)
	return nil
}

func runRestore(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dbPath := newFlags("restore")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("name one backup file: restore --db PATH FILE")
	}
	kept, err := boltstore.Restore(*dbPath, fs.Arg(0), time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s restored from %s\n", *dbPath, fs.Arg(0))
	if kept != "" {
		fmt.Fprintf(stdout, "the file it replaced is kept as %s\n", kept)
	}
	return nil
}

func runCheck(ctx context.Context, args []string, stdout io.Writer) error {
	fs, at := newStoreFlags("check")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if at.elsewhere() {
		return checkThroughHub(ctx, at, stdout)
	}
	dbPath := at.db
	if _, err := os.Stat(*dbPath); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%w at %s: check the path given with --db", data.ErrNoFile, *dbPath)
	}
	if err := boltstore.VerifyFile(*dbPath); err != nil {
		if errors.Is(err, data.ErrDamaged) {
			return boltstore.Damaged(*dbPath, err)
		}
		return err
	}
	fmt.Fprintf(stdout, "%s: no damage found; every record reads\n", *dbPath)
	return nil
}

// checkThroughHub checks the data a hub holds: a backup of it streamed to
// a temporary file is checked record by record (BackupFrom verifies), then removed.
func checkThroughHub(ctx context.Context, at *storeFlags, stdout io.Writer) error {
	hub, err := at.open(ctx)
	if err != nil {
		return err
	}
	defer hub.Close()
	dir, err := os.MkdirTemp("", "locatiedesk-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := boltstore.BackupFrom(ctx, hub, filepath.Join(dir, "check.db")); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: no damage found; every record reads\n", at)
	return nil
}

func runGenerate(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dbPath := newFlags("generate")
	opts := generate.Options{Today: data.DateOf(time.Now()), Seed: 1}
	fs.IntVar(&opts.Locations, "locations", 10, "number of locations")
	fs.IntVar(&opts.ChildrenPerLocation, "children-per-location", 150, "children per location today")
	fs.IntVar(&opts.Years, "years", 1, "years of history")
	fs.Uint64Var(&opts.Seed, "seed", 1, "random seed; the same seed gives the same organisation")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := opts.Validate(); err != nil {
		return err
	}
	db, err := createFile(*dbPath) // like the demo, generate fills a new file
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	err = generate.Generate(ctx, db, opts, func(day, days int) {
		fmt.Fprintf(stdout, "\rhistory: day %d of %d", day, days)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%d locations of %d children with %d years of history written to %s in %s\n",
		opts.Locations, opts.ChildrenPerLocation, opts.Years, db.Path(), time.Since(start).Round(time.Millisecond))
	return nil
}

// runImport reads a file into the store: photo consent as a parent portal
// exports it (README, "Importing photo consent"), or children and contracts
// from the planning system (runImportChildren). Every bad line is printed as
// FILE:LINE: problem, and then nothing is imported.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const usage = "usage: locatiedesk import consent --db PATH FILE.csv\n   or: " + importChildrenUsage
	if len(args) > 0 && args[0] == "children" {
		return runImportChildren(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "consent" {
		return errors.New(usage)
	}
	fs, at := newStoreFlags("import consent")
	fs.SetOutput(stderr)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New(usage)
	}
	name := fs.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return fmt.Errorf("%s is a folder: name the CSV file in it", name)
	}
	db, err := at.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.ImportConsent(ctx, f, currentUser(), "import "+filepath.Base(name))
	var ie *data.ImportError
	if errors.As(err, &ie) {
		for _, l := range ie.Lines {
			if l.Line == 0 {
				fmt.Fprintf(stderr, "%s: %s\n", name, l.Message())
			} else {
				fmt.Fprintf(stderr, "%s:%d: %s\n", name, l.Line, l.Message())
			}
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(stdout, "imported %d photo-consent answers from %s (%d were recorded already)\n", res.Imported, name, res.Unchanged)
	return nil
}

func runGUI(ctx context.Context, args []string, stderr io.Writer) int {
	fs, dbPath := newFlags("locatiedesk")
	withDemo := fs.Bool("demo", false, "fill an empty data file with the demo location before the window opens")
	server := fs.String("server", "", "work on the location's hub, https://HOST:PORT, as the device paired into --device-file")
	deviceFile := fs.String("device-file", defaultDeviceFile(), "the file this device was paired into; while it exists, the window works on its hub")
	listen := fs.String("listen", ":7443", "where this computer answers the devices when a manager makes it the location's hub")
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 1
	}
	if err := checkDisplay(); err != nil {
		fmt.Fprintln(stderr, "locatiedesk:", err)
		return 1
	}
	a := app.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	if err := ui.UseLanguage(a.Preferences().String(ui.PrefLanguage)); err != nil {
		fyne.LogError("language", err)
	}
	earlylocale.Restore() // Fyne has read the locale: the window's text input gets the real one
	w := a.NewWindow(ui.AppTitle)
	w.Resize(fyne.NewSize(800, 720)) // fits a portrait tablet; the layouts widen with the window

	paired, err := client.LoadDeviceFile(*deviceFile)
	switch {
	case err == nil || *server != "":
		if *server == "" {
			*server = paired.URL
		}
		return windowOnHub(a, w, &remote{server: server, fingerprint: new(string), deviceFile: deviceFile}, stderr)
	case !errors.Is(err, client.ErrNoDeviceFile):
		// A damaged device file: the first start pairs again and replaces it.
		fyne.LogError("the device file", err)
	}
	purgeAtStart(ctx, *dbPath)
	db, err := openForWindow(ctx, *dbPath, *withDemo)
	if err != nil {
		// Started from an icon, nobody sees stderr: say it in the window.
		fmt.Fprintln(stderr, "locatiedesk:", err)
		showStartError(a, w, *dbPath, err)
		w.ShowAndRun()
		return 1
	}
	defer db.Close()
	host := &windowHub{db: db, listen: *listen, announce: true}
	defer host.Stop()
	connector := &hubConnector{deviceFile: *deviceFile}
	defer connector.Close()
	shell := ui.NewShell(a, w, db, func() error { return demo.Fill(ctx, db) }, ui.WithHubHost(host), ui.WithConnector(connector))
	go func() {
		if err := dailyBackup(ctx, db); err != nil {
			fyne.LogError("daily backup", err)
			shell.ShowBackupFailure(err)
		}
	}()
	defer shell.Close()
	w.ShowAndRun()
	return 0
}

// windowOnHub opens the window on the location's hub, as the device paired
// with it: the data, the rules and the backups are the hub's; people sign in
// on it as on a data file.
func windowOnHub(a fyne.App, w fyne.Window, r *remote, stderr io.Writer) int {
	tablet, err := openOnHub(r)
	if err != nil {
		fmt.Fprintln(stderr, "locatiedesk:", err)
		showStartError(a, w, *r.server, err)
		w.ShowAndRun()
		return 1
	}
	defer tablet.Close()
	shell := ui.NewShell(a, w, tablet, func() error { return errDemoOnHub })
	shell.FollowConnection(tablet)
	defer shell.Close()
	w.ShowAndRun()
	return 0
}

// errDemoOnHub is the demo asked of an empty hub: it goes into a file.
var errDemoOnHub = errors.New("the demo goes into a data file on this computer: start Locatiedesk without --server to try it")

// checkDisplay says so when there is no screen to open the window on:
// Fyne would panic in GLFW instead. The commands need no screen.
func checkDisplay() error {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" && runtime.GOOS != "openbsd" && runtime.GOOS != "netbsd" {
		return nil
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return errors.New("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set); the commands (attendance, print, export, backup and the others) work without one")
	}
	return nil
}

// dailyBackup makes the day's automatic backup beside the data file. It runs
// beside the window; a failure does not stop the day's work.
func dailyBackup(ctx context.Context, db *boltstore.DB) error {
	settings, err := db.Settings(ctx)
	if err != nil {
		return err
	}
	_, err = db.DailyBackup(ctx, boltstore.BackupDir(db.Path()), settings.BackupDays)
	return err
}

// openForWindow opens the data file, creating it when new. An empty file
// stays empty: the window asks whether to set up an organisation or try the
// demo, unless withDemo (run-demo.sh) asked for the demo already.
func openForWindow(ctx context.Context, path string, withDemo bool) (*boltstore.DB, error) {
	db, err := createFile(path)
	if err != nil || !withDemo {
		return db, err
	}
	empty, err := db.IsEmpty(ctx)
	if err == nil && empty {
		err = demo.Fill(ctx, db)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// showStartError says in the window why the data file cannot be opened, in
// the user's language; only an unforeseen cause adds the store's own words,
// marked as being for support.
func showStartError(a fyne.App, w fyne.Window, path string, err error) {
	text := startErrorText(path, err)
	msg := &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
	w.SetContent(container.NewPadded(container.NewBorder(nil, &widget.Button{Text: lang.L("Close"), OnTapped: a.Quit}, nil, nil, msg)))
	w.Resize(fyne.NewSize(560, 240))
}

// startErrorText is showStartError's message.
func startErrorText(path string, err error) string {
	file := lang.L("Data file: {{.Path}}", map[string]any{"Path": path})
	switch {
	case errors.Is(err, data.ErrInUse):
		return lang.L("Locatiedesk is already open on this computer with the same data file. Use that window, or close it first.") + "\n\n" + file
	case errors.Is(err, data.ErrTooNew):
		return lang.L("The data file was written by a newer Locatiedesk. Install the newest version to open it.") + "\n\n" + file
	}
	// A damaged file: the cause is for whoever helps, under its own heading.
	return lang.L("Locatiedesk cannot open its data file.") + "\n\n" + file + "\n\n" +
		lang.L("For support:") + " " + err.Error()
}

// currentUser names who works at this computer until staff sign in by PIN.
func currentUser() string {
	u, err := user.Current()
	if err != nil {
		return "locatiedesk"
	}
	if u.Name != "" {
		return u.Name
	}
	return u.Username
}
