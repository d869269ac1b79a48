module early.locatiedesk/earlylocale

go 1.26.8
