// Built-in calendars, embedded so that the binary works wherever it is installed.
//
// GENERATED from calendars/*.json at the repository root, which are the source of truth; a test
// (BuiltinCalendarTests) checks that the text below equals the file byte for byte. After editing
// calendars/cn-mainland.json, regenerate this file (see docs/calendar.md, "Updating the built-in data").

extension WorkingCalendar {
    /// The embedded calendar files, in load order (a calendar may only extend one listed before it).
    static let builtinSources: [(id: String, json: String)] = [
        ("cn-mainland", cnMainlandJSON),
    ]

    /// The text of calendars/cn-mainland.json.
    static let cnMainlandJSON = #"""
{
  "id": "cn-mainland",
  "title": "中国大陆法定节假日",
  "timezone": "Asia/Shanghai",
  "weekend": ["saturday", "sunday"],
  "extends": null,
  "years": {
    "2025": {
      "source": "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
      "holidays": [
        {"name": "元旦", "days": ["2025-01-01"]},
        {"name": "春节", "from": "2025-01-28", "to": "2025-02-04"},
        {"name": "清明节", "from": "2025-04-04", "to": "2025-04-06"},
        {"name": "劳动节", "from": "2025-05-01", "to": "2025-05-05"},
        {"name": "端午节", "from": "2025-05-31", "to": "2025-06-02"},
        {"name": "国庆节、中秋节", "from": "2025-10-01", "to": "2025-10-08"}
      ],
      "workdays": [
        {"name": "春节调休上班", "days": ["2025-01-26", "2025-02-08"]},
        {"name": "劳动节调休上班", "days": ["2025-04-27"]},
        {"name": "国庆节、中秋节调休上班", "days": ["2025-09-28", "2025-10-11"]}
      ]
    },
    "2026": {
      "source": "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）",
      "holidays": [
        {"name": "元旦", "from": "2026-01-01", "to": "2026-01-03"},
        {"name": "春节", "from": "2026-02-15", "to": "2026-02-23"},
        {"name": "清明节", "from": "2026-04-04", "to": "2026-04-06"},
        {"name": "劳动节", "from": "2026-05-01", "to": "2026-05-05"},
        {"name": "端午节", "from": "2026-06-19", "to": "2026-06-21"},
        {"name": "中秋节", "from": "2026-09-25", "to": "2026-09-27"},
        {"name": "国庆节", "from": "2026-10-01", "to": "2026-10-07"}
      ],
      "workdays": [
        {"name": "元旦调休上班", "days": ["2026-01-04"]},
        {"name": "春节调休上班", "days": ["2026-02-14", "2026-02-28"]},
        {"name": "劳动节调休上班", "days": ["2026-05-09"]},
        {"name": "国庆节调休上班", "days": ["2026-09-20", "2026-10-10"]}
      ]
    }
  }
}

"""#
}
