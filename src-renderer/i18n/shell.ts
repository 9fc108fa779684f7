import { defineArea } from './define';

export default defineArea({
  ru: {
    appName: 'AquaDesk',
    searchPlaceholder: 'Поиск: адрес, ФИО, телефон, л/с, ИИН/БИН, договор',
    nav: { search: 'Поиск', mail: 'Почта', audit: 'Журнал', settings: 'Настройки', about: 'О программе' },
    status: {
      local: 'Локально',
      localHint: 'Центральный сервис не настроен: все данные сохраняются на этом компьютере',
      pending: 'ожидают отправки: {n}',
    },
    operator: 'Оператор не выбран',
    language: 'Язык',
    languages: { ru: 'Русский', kk: 'Қазақша', en: 'English' },
    keys: {
      search: 'F2 — поиск',
      about: 'F1 — о программе',
      back: 'Esc — назад',
      save: 'Ctrl+S — сохранить',
    },
    noToken: {
      title: 'Нет ключа доступа',
      text: 'Откройте адрес, который напечатала команда «npm run web» в терминале: в нём есть ключ доступа (?token=…). Без него данные этого компьютера недоступны.',
    },
    searchHome: {
      title: 'Поиск лицевого счёта',
      hint: 'Начните вводить в строку поиска вверху (F2 или Ctrl+K из любого места): адрес, фамилию, телефон, номер лицевого счёта, ИИН/БИН или номер договора.',
      examples: 'Например: «Абая 10 25», «Иванова», «8 701 123 45 67», «123456», «Д-2019/0457».',
    },
  },
  kk: {
    appName: 'AquaDesk',
    searchPlaceholder: 'Іздеу: мекенжай, аты-жөні, телефон, дербес шот, ЖСН/БСН, шарт',
    nav: { search: 'Іздеу', mail: 'Пошта', audit: 'Журнал', settings: 'Баптаулар', about: 'Бағдарлама туралы' },
    status: {
      local: 'Жергілікті',
      localHint: 'Орталық сервис бапталмаған: барлық деректер осы компьютерде сақталады',
      pending: 'жіберуді күтуде: {n}',
    },
    operator: 'Оператор таңдалмаған',
    language: 'Тіл',
    languages: { ru: 'Русский', kk: 'Қазақша', en: 'English' },
    keys: {
      search: 'F2 — іздеу',
      about: 'F1 — бағдарлама туралы',
      back: 'Esc — артқа',
      save: 'Ctrl+S — сақтау',
    },
    noToken: {
      title: 'Кіру кілті жоқ',
      text: '«npm run web» командасы терминалда басып шығарған мекенжайды ашыңыз: онда кіру кілті бар (?token=…). Онсыз осы компьютердің деректері қолжетімсіз.',
    },
    searchHome: {
      title: 'Дербес шотты іздеу',
      hint: 'Жоғарыдағы іздеу жолына енгізіңіз (кез келген жерден F2 немесе Ctrl+K): мекенжай, тегі, телефон, дербес шот нөмірі, ЖСН/БСН немесе шарт нөмірі.',
      examples: 'Мысалы: «Абая 10 25», «Иванова», «8 701 123 45 67», «123456», «Д-2019/0457».',
    },
  },
  en: {
    appName: 'AquaDesk',
    searchPlaceholder: 'Search: address, name, phone, account, IIN/BIN, contract',
    nav: { search: 'Search', mail: 'Mail', audit: 'Audit log', settings: 'Settings', about: 'About' },
    status: {
      local: 'Local',
      localHint: 'No central service configured: all data is kept on this computer',
      pending: 'waiting to send: {n}',
    },
    operator: 'No operator',
    language: 'Language',
    languages: { ru: 'Русский', kk: 'Қазақша', en: 'English' },
    keys: {
      search: 'F2 — search',
      about: 'F1 — about',
      back: 'Esc — back',
      save: 'Ctrl+S — save',
    },
    noToken: {
      title: 'No access key',
      text: 'Open the address that "npm run web" printed in the terminal: it carries the access key (?token=…). Without it this computer\'s data cannot be reached.',
    },
    searchHome: {
      title: 'Find an account',
      hint: 'Type in the search box at the top (F2 or Ctrl+K from anywhere): an address, a surname, a phone, an account number, an IIN/BIN or a contract number.',
      examples: 'For example: "Абая 10 25", "Иванова", "8 701 123 45 67", "123456", "Д-2019/0457".',
    },
  },
});
