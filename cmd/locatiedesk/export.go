package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"locatiedesk/data"
	"locatiedesk/reports"
)

const exportUsage = `usage: locatiedesk export invoicing --db PATH --from YYYY-MM-DD --to YYYY-MM-DD [--location NAME] --format csv|xlsx -o FILE
   or: locatiedesk export invoicing --db PATH --batch N --format csv|xlsx -o FILE   (an earlier batch again)`

// runExport sends "export invoicing", "export child" and "export children" to their command.
// With "-o -" the file goes to stdout and what the command says to stderr.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	switch {
	case len(args) > 0 && args[0] == "invoicing":
		return runExportInvoicing(ctx, args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "child":
		return runExportChild(ctx, args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "children":
		return runExportChildren(ctx, args[1:], stdout, stderr)
	}
	return errors.New(exportUsage + "\n   or: " + strings.TrimPrefix(exportChildUsage, "usage: ") +
		"\n   or: " + strings.TrimPrefix(exportChildrenUsage, "usage: "))
}

// runExportInvoicing records an invoicing batch (F1) and writes its file, or
// writes an earlier batch again, the same bytes as the first time.
func runExportInvoicing(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, at := newStoreFlags("export invoicing")
	fromText := fs.String("from", "", "first day of the period, YYYY-MM-DD")
	toText := fs.String("to", "", "last day of the period, YYYY-MM-DD")
	locationName := fs.String("location", "", "one location (default every location)")
	formatText := fs.String("format", "csv", "csv or xlsx")
	out := fs.String("o", "", "the file to write")
	batchID := fs.Uint64("batch", 0, "write this earlier batch again instead of exporting")
	if err := fs.Parse(args); err != nil {
		return err
	}
	format, err := reports.ParseInvoiceFormat(*formatText)
	if err != nil {
		return err
	}
	switch {
	case *out == "":
		return errors.New("name the file with -o FILE")
	case *batchID != 0 && (*fromText != "" || *toText != "" || *locationName != ""):
		return errors.New("--batch writes an earlier batch as it was: leave out --from, --to and --location")
	case *batchID == 0 && (*fromText == "" || *toText == ""):
		return errors.New("give the period with --from YYYY-MM-DD --to YYYY-MM-DD, or an earlier batch with --batch N")
	}
	var spec data.InvoiceSpec
	if *batchID == 0 {
		if spec.From, err = data.ParseDate(*fromText); err != nil {
			return err
		}
		if spec.To, err = data.ParseDate(*toText); err != nil {
			return err
		}
	}
	db, err := at.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if *locationName != "" {
		loc, err := pickLocation(ctx, db, *locationName)
		if err != nil {
			return err
		}
		spec.LocationID = loc.ID
	}
	// The file is in place only when whole; it is opened before the batch
	// is recorded, so a folder that cannot be written records nothing.
	var text io.Writer
	if format == reports.FormatCSV {
		text = stdout
	}
	file, err := reports.CreateOutput(*out, text)
	if err != nil {
		return err
	}
	if *out == "-" {
		stdout = stderr
	}
	var batch data.InvoiceBatch
	if *batchID != 0 {
		batch, err = db.InvoiceBatch(ctx, data.ID(*batchID))
	} else {
		spec.By = currentUser()
		batch, err = db.ExportInvoicing(ctx, spec, nil)
	}
	if err != nil {
		file.Abort()
		return err
	}
	if err = reports.WriteInvoice(file.Writer(), format, batch, db.InvoiceLines(ctx, batch.ID)); err != nil {
		file.Abort()
	} else {
		err = file.Commit()
	}
	if err != nil {
		return fmt.Errorf("batch %d is recorded, but its file was not written (write it again with --batch %d): %w", batch.ID, batch.ID, err)
	}
	where := "every location"
	if batch.Location != "" {
		where = batch.Location
	}
	fmt.Fprintf(stdout, "batch %d, %s to %s, %s: %d lines (%d new, %d corrections), written to %s\n",
		batch.ID, batch.From, batch.To, where, batch.Lines, batch.New, batch.Corrections, *out)
	for _, t := range batch.Totals {
		fmt.Fprintf(stdout, "  %-22s %5d lines  %9.2f hours invoiced", reports.ProductName(t.Product), t.Lines, float64(t.InvoiceMinutes)/60)
		if t.PerDay {
			fmt.Fprintf(stdout, "  %7.2f days", t.Days)
		}
		fmt.Fprintln(stdout)
	}
	return nil
}
