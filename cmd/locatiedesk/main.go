// Command locatiedesk is the Locatiedesk desktop app and its command line.
//
//	locatiedesk [--db PATH]                     start the window
//	locatiedesk demo --db PATH                  fill an empty data file with the demo location
//	locatiedesk attendance --db PATH --group NAME --date YYYY-MM-DD [--format text|csv]
//	locatiedesk import consent --db PATH FILE.csv
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/assets"
	"locatiedesk/data"
	"locatiedesk/data/demo"
	"locatiedesk/reports"
	"locatiedesk/ui"
)

const appID = "nl.locatiedesk.app"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand, or starts the window; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		var err error
		switch args[0] {
		case "demo":
			err = runDemo(args[1:], stdout)
		case "attendance":
			err = runAttendance(args[1:], stdout)
		case "import":
			err = runImport(args[1:], stdout, stderr)
		default:
			err = fmt.Errorf("unknown command %q; commands: demo, attendance, import (or none to start the window)", args[0])
		}
		if err != nil {
			if !errors.Is(err, flag.ErrHelp) {
				fmt.Fprintln(stderr, "locatiedesk:", err)
			}
			return 1
		}
		return 0
	}
	return runGUI(args, stderr)
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

func openStore(path string) (*data.DB, error) {
	if path == "" {
		return nil, errors.New("no data file: give one with --db PATH")
	}
	return data.Open(path)
}

func runDemo(args []string, stdout io.Writer) error {
	fs, dbPath := newFlags("demo")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openStore(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Seed(demo.Build(db.Today())); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo location %q written to %s\n", demo.LocationName, db.Path())
	return nil
}

func runAttendance(args []string, stdout io.Writer) error {
	fs, dbPath := newFlags("attendance")
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
	db, err := openStore(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	day := db.Today()
	if *dateText != "" {
		if day, err = data.ParseDate(*dateText); err != nil {
			return err
		}
	}
	group, err := db.GroupByName(*groupName)
	if err != nil {
		return err
	}
	list, err := db.DayList(group.ID, day)
	if err != nil {
		return err
	}
	if *format == "csv" {
		return reports.AttendanceCSV(stdout, list)
	}
	return reports.AttendanceText(stdout, list)
}

// runImport reads a file into the store; for now photo consent as a parent
// portal exports it (README, "Importing photo consent"). Every bad line is
// printed as FILE:LINE: problem, and then nothing is imported.
func runImport(args []string, stdout, stderr io.Writer) error {
	const usage = "usage: locatiedesk import consent --db PATH FILE.csv"
	if len(args) == 0 || args[0] != "consent" {
		return errors.New(usage)
	}
	fs, dbPath := newFlags("import consent")
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
	db, err := openStore(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.ImportConsent(f, currentUser(), "import "+filepath.Base(name))
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

func runGUI(args []string, stderr io.Writer) int {
	fs, dbPath := newFlags("locatiedesk")
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return 1
	}
	a := app.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	if err := ui.UseLanguage(a.Preferences().String(ui.PrefLanguage)); err != nil {
		fyne.LogError("language", err)
	}
	w := a.NewWindow(ui.AppTitle)
	w.Resize(fyne.NewSize(1200, 760))

	db, err := openWithDemo(*dbPath)
	if err != nil {
		// Started from an icon, nobody sees stderr: say it in the window.
		fmt.Fprintln(stderr, "locatiedesk:", err)
		showStartError(a, w, err)
		w.ShowAndRun()
		return 1
	}
	defer db.Close()
	shell := ui.NewShell(a, w, db, currentUser())
	defer shell.Close()
	w.ShowAndRun()
	return 0
}

// openWithDemo opens the data file and, when it is new, fills it with the demo location.
func openWithDemo(path string) (*data.DB, error) {
	db, err := openStore(path)
	if err != nil {
		return nil, err
	}
	empty, err := db.IsEmpty()
	if err == nil && empty {
		err = db.Seed(demo.Build(db.Today()))
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func showStartError(a fyne.App, w fyne.Window, err error) {
	text := lang.L("Locatiedesk cannot open its data file.") + "\n\n" + err.Error()
	if errors.Is(err, data.ErrInUse) {
		text = lang.L("Locatiedesk is already open on this computer with the same data file. Use that window, or close it first.") + "\n\n" + err.Error()
	}
	msg := &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
	w.SetContent(container.NewPadded(container.NewBorder(nil, &widget.Button{Text: lang.L("Close"), OnTapped: a.Quit}, nil, nil, msg)))
	w.Resize(fyne.NewSize(560, 240))
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
