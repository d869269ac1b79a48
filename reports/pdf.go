package reports

import (
	"fmt"
	"time"

	"github.com/jung-kurt/gofpdf"

	"locatiedesk/assets"
)

// fontFamily is the embedded UTF-8 font every PDF uses.
const fontFamily = "DejaVu"

// newDocument starts an A4 PDF ("P" portrait or "L" landscape) in the embedded
// font, with a footer that numbers pages "N/M" after footerText. created is
// written as both creation and modification date and compression is off for
// a fixed date, so the same input gives the same bytes (tests compare them).
func newDocument(orientation, title string, created time.Time, footerText string) *gofpdf.Fpdf {
	pdf := gofpdf.New(orientation, "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontFamily, "", assets.FontRegular)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", assets.FontBold)
	pdf.SetTitle(title, true)
	pdf.SetCreator("Locatiedesk", true)
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(false)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-13)
		pdf.SetFont(fontFamily, "", 8)
		pdf.CellFormat(0, 5, fmt.Sprintf("%s    %d/{nb}", footerText, pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	return pdf
}
