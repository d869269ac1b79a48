package data

import "time"

// Easter returns Easter Sunday of a year (the anonymous Gregorian computus).
func Easter(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(year, time.Month(month), day)
}

// PublicHolidays returns the Dutch public holidays of a year on which
// childcare usually closes; Liberation Day only in lustrum years, as most
// collective agreements have it.
func PublicHolidays(year int) []ClosingDay {
	easter := Easter(year)
	kingsDay := NewDate(year, time.April, 27)
	if kingsDay.Weekday() == time.Sunday {
		kingsDay = kingsDay.AddDays(-1)
	}
	days := []ClosingDay{
		{NewDate(year, time.January, 1), "Nieuwjaarsdag"},
		{easter.AddDays(1), "Tweede Paasdag"},
		{kingsDay, "Koningsdag"},
		{easter.AddDays(39), "Hemelvaartsdag"},
		{easter.AddDays(50), "Tweede Pinksterdag"},
		{NewDate(year, time.December, 25), "Eerste Kerstdag"},
		{NewDate(year, time.December, 26), "Tweede Kerstdag"},
	}
	if year%5 == 0 {
		days = append(days, ClosingDay{NewDate(year, time.May, 5), "Bevrijdingsdag"})
	}
	return days
}
