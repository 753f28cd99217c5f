package emailanalytics

// Vocabularies for telling person names from other capitalised words
// (lower-cased).

// isStopWord reports common words that are capitalised at the start of a
// sentence or in headings but are never a name on their own.
func isStopWord(w string) bool {
	switch w {
	case "a", "about", "above", "account", "accounts", "across", "action", "actions", "add",
		"address", "addresses", "africa", "african", "after", "afternoon", "again", "against",
		"agenda", "agent", "agents", "all", "almost", "along", "also", "although", "always",
		"am", "america", "american", "among", "amount", "an", "and", "android", "annual",
		"another", "any", "anyone", "anything", "apartment", "app", "approval", "approved",
		"apps", "apr", "apt", "arabic", "are", "around", "as", "asap", "asia", "asian", "at",
		"attached", "attachment", "attachments", "attendees", "aug", "avenue", "away", "back",
		"balance", "bank", "basic", "bcc", "be", "because", "been", "before", "being", "below",
		"beneficiary", "best", "better", "between", "big", "bill", "billed", "billing",
		"booking", "both", "boulevard", "bronze", "browser", "build", "building", "but",
		"button", "by", "call", "called", "calls", "can", "cancel", "cancelled", "cannot",
		"card", "cards", "carrier", "cart", "case", "cases", "cc", "center", "centre",
		"charge", "charged", "charges", "check", "check-in", "checkout", "cheers", "chinese",
		"christmas", "click", "client", "clients", "cloud", "code", "codes", "company",
		"conditions", "confidential", "confidentiality", "confirm", "confirmed",
		"congratulations", "contact", "contacted", "copyright", "cordially", "cost", "could",
		"coupon", "court", "current", "customer", "customers", "dashboard", "data", "date",
		"day", "days", "deal", "deals", "dear", "dec", "december", "delivery", "detail",
		"details", "did", "dimensions", "disclaimer", "discount", "diwali", "do", "dock",
		"document", "documents", "does", "doing", "done", "down", "dr", "drive", "drop",
		"during", "dutch", "e-mail", "each", "east", "easter", "eid", "either", "else",
		"email", "enclosed", "english", "enough", "error", "errors", "eu", "europe",
		"european", "even", "evening", "ever", "every", "everyone", "everything", "extra",
		"faithfully", "fall", "fast", "fax", "feb", "february", "fee", "fees", "few", "field",
		"file", "files", "final", "find", "first", "flight", "floor", "for", "form", "forms",
		"found", "free", "french", "fri", "friday", "from", "full", "further", "fw", "fwd",
		"fyi", "gate", "generated", "german", "get", "gets", "getting", "gift", "give",
		"given", "go", "goes", "going", "gold", "gone", "good", "got", "great", "greetings",
		"guest", "guests", "had", "halloween", "hanukkah", "happy", "has", "have", "having",
		"he", "hello", "help", "her", "here", "hers", "herself", "hey", "hi", "high", "him",
		"himself", "hindi", "his", "holiday", "holidays", "hope", "hotel", "hour", "hours",
		"how", "however", "i", "i'm", "if", "im", "important", "in", "install", "internet",
		"into", "invoice", "invoices", "ipad", "iphone", "is", "issue", "issues", "it",
		"italian", "item", "items", "its", "itself", "jan", "january", "japanese", "jul",
		"july", "just", "kind", "kindest", "kindly", "korean", "lane", "large", "last", "late",
		"least", "less", "let", "level", "like", "likely", "link", "links", "linux", "log",
		"login", "logs", "look", "looking", "low", "loyalty", "mac", "macos", "madam", "made",
		"main", "make", "manage", "many", "mar", "march", "max", "maybe", "me", "meeting",
		"meetings", "member", "members", "membership", "message", "might", "mini", "minute",
		"minutes", "miss", "mlle", "mme", "mobile", "mon", "monday", "month", "monthly",
		"months", "more", "morning", "most", "mr", "mrs", "ms", "much", "must", "mx", "my",
		"myself", "name", "names", "near", "need", "neither", "never", "new", "next", "nice",
		"night", "no", "nobody", "none", "nor", "north", "northeast", "northwest", "not",
		"note", "noted", "notes", "nothing", "notice", "nov", "november", "now", "oct",
		"october", "of", "off", "offer", "offers", "often", "ok", "okay", "old", "on", "once",
		"one", "online", "only", "onto", "open", "or", "order", "orders", "other", "others",
		"our", "ours", "ourselves", "out", "over", "own", "package", "page", "pages", "pallet",
		"pallets", "parcel", "password", "pay", "payment", "payments", "pdf", "pending", "per",
		"perhaps", "period", "phone", "place", "plan", "plans", "platinum", "please", "plus",
		"points", "policy", "portal", "portuguese", "preferences", "premium", "previous",
		"price", "prices", "print", "privacy", "pro", "product", "products", "prof", "profile",
		"promo", "ps", "qty", "quantity", "question", "questions", "queue", "quick", "quite",
		"ramadan", "rather", "re", "really", "receipt", "refund", "refunds", "regards",
		"release", "remove", "replied", "reply", "report", "request", "requested",
		"reservation", "reserved", "respectfully", "return", "returns", "review", "rewards",
		"rights", "road", "room", "rooms", "routing", "russian", "sale", "sales", "same",
		"sat", "saturday", "see", "seen", "send", "sent", "sep", "sept", "september", "server",
		"servers", "service", "services", "settings", "several", "shall", "she", "ship",
		"shipment", "shipping", "shop", "should", "sign", "signup", "silver", "since",
		"sincerely", "sir", "slow", "small", "so", "some", "someone", "something", "sometimes",
		"soon", "sorry", "south", "southeast", "southwest", "spanish", "spring", "standard",
		"statement", "statements", "status", "step", "steps", "still", "store", "stores",
		"street", "subject", "subtotal", "such", "suite", "summary", "sun", "sunday",
		"support", "sure", "swedish", "system", "systems", "tap", "tax", "taxes", "team",
		"teams", "terms", "than", "thank", "thanks", "thanksgiving", "that", "the", "their",
		"theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
		"though", "through", "thu", "thur", "thurs", "thursday", "thus", "thx", "ticket",
		"tickets", "tier", "time", "to", "today", "together", "tomorrow", "tonight", "too",
		"total", "toward", "towards", "tracking", "truly", "try", "tue", "tues", "tuesday",
		"uk", "ultra", "under", "unfortunately", "unit", "unsubscribe", "until", "up",
		"update", "updated", "upgrade", "upon", "urgent", "us", "usa", "use", "user",
		"username", "users", "value", "version", "very", "via", "view", "visit", "want",
		"warm", "warmest", "warning", "was", "way", "we", "web", "website", "wed", "wednesday",
		"week", "weekday", "weekend", "weeks", "weight", "welcome", "well", "were", "west",
		"what", "whatever", "when", "where", "whether", "which", "while", "who", "whom",
		"whose", "why", "wifi", "windows", "winter", "wish", "with", "within", "without",
		"would", "year", "years", "yes", "yesterday", "yet", "you", "your", "yours",
		"yourself", "yourselves":
		return true
	}
	return false
}

// isOrgWord reports words that mark a company, team or department, so that
// "Acme Support" or "Tailspin Toys LLC" is not taken for a person.
func isOrgWord(w string) bool {
	switch w {
	case "academy", "account", "accounts", "admin", "administration", "admissions", "agency",
		"air", "airline", "airlines", "airways", "analytics", "assistant", "associates",
		"association", "bank", "banks", "billing", "board", "booking", "bookings", "books",
		"cafe", "capital", "cards", "care", "careers", "center", "centre", "client", "clients",
		"clinic", "cloud", "club", "co", "college", "committee", "community", "companies",
		"company", "consulting", "coordinator", "corp", "corporation", "council", "crew",
		"customer", "customers", "department", "dept", "desk", "development", "digital",
		"director", "directors", "electronics", "energy", "engineer", "engineering",
		"enrollment", "executive", "exports", "express", "families", "family", "finance",
		"financial", "foundation", "frontdesk", "gas", "global", "group", "hardware", "health",
		"helpdesk", "hiring", "holdings", "home", "hospital", "hotel", "hotels", "house", "hr",
		"importers", "imports", "inc", "insurance", "international", "it", "lab", "labs",
		"landscaping", "league", "legal", "lending", "limited", "llc", "logistics", "ltd",
		"mall", "management", "manager", "managers", "market", "marketing", "markets", "media",
		"medical", "member", "members", "mobile", "motors", "network", "networks", "news",
		"office", "officer", "online", "operations", "outdoor", "outfitters", "partners",
		"pay", "payable", "payments", "payroll", "people", "pharmacy", "plaza", "power",
		"press", "procurement", "purchasing", "railway", "receivable", "reception",
		"recruiting", "registrar", "relations", "rep", "representative", "research",
		"reservations", "resources", "restaurant", "returns", "sales", "school", "security",
		"service", "services", "shop", "society", "software", "solutions", "specialist",
		"squad", "staff", "store", "studio", "studios", "supplies", "supply", "support",
		"systems", "team", "teams", "tech", "technologies", "technology", "telecom", "toys",
		"traders", "trading", "trust", "union", "university", "ventures", "water", "wireless",
		"works":
		return true
	}
	return false
}

// isBrandWord reports brand names, including the placeholder companies of
// documentation examples (Acme, Contoso, Fabrikam ...).
func isBrandWord(w string) bool {
	switch w {
	case "acme", "adventure", "airbnb", "alpine", "amazon", "amex", "apple", "barclays", "chase",
		"citi", "citibank", "contoso", "costco", "dell", "dhl", "discover", "echo", "example",
		"fabrikam", "facebook", "fedex", "galaxy", "globex", "gmail", "google", "hotmail",
		"hsbc", "ikea", "initech", "instagram", "intel", "ipad", "iphone", "kindle", "lenovo",
		"linkedin", "litware", "lyft", "mastercard", "meta", "microsoft", "netflix",
		"northwind", "oracle", "outlook", "paypal", "pixel", "proseware", "salesforce",
		"samsung", "slack", "sony", "spotify", "surface", "tailspin", "target", "twitter",
		"uber", "ups", "usps", "visa", "walmart", "whatsapp", "wingtip", "woodgrove", "yahoo",
		"youtube", "zoom":
		return true
	}
	return false
}

// isKnownOrg reports well-known companies named after people, written as
// their lower-cased words joined by single spaces ("morgan stanley").
func isKnownOrg(words string) bool {
	switch words {
	case "ben jerrys", "calvin klein", "charles schwab", "dolce gabbana", "dr pepper",
		"edward jones", "ernst young", "estee lauder", "goldman sachs", "harley davidson",
		"hewlett packard", "hugo boss", "jack daniels", "jenny craig", "john lewis",
		"johnson controls", "johnson johnson", "kate spade", "louis vuitton", "marks spencer",
		"mary kay", "michael kors", "morgan stanley", "procter gamble", "ralph lauren",
		"rolls royce", "ruby tuesday", "sherwin williams", "ted baker", "tim hortons",
		"tommy hilfiger", "wells fargo":
		return true
	}
	return false
}
