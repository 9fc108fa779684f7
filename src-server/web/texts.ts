// Words of the customer pages and letters, in Russian (the default), Kazakh and English.
// One file although past 300 lines: a message catalogue, each language's keys side by side (the
// types check that kk and en have every ru key); split, a key would be looked for in several places.
import {
  defineCatalogue,
  documentLanguageFor,
  fill,
  languages,
  type Catalogue,
  type Language,
} from '../../src-shared/messages';

export type WebLanguage = Language;
export const webLanguages: readonly WebLanguage[] = languages;

const ru = {
  siteTitle: 'Личный кабинет абонента',
  /** this language's own name, for the switch in the header */
  languageName: 'Русский',
  login: 'Логин',
  loginHint: 'Лицевой счёт (физ. лица) или номер договора (юр. лица)',
  password: 'Пароль',
  newPassword: 'Новый пароль',
  newPasswordAgain: 'Новый пароль ещё раз',
  currentPassword: 'Текущий пароль',
  signIn: 'Войти',
  signOut: 'Выйти',
  forgot: 'Забыли пароль?',
  loginOrEmail: 'Логин или адрес электронной почты',
  sendLink: 'Отправить ссылку',
  iinBin: 'ИИН / БИН',
  accountOrContract: 'Лицевой счёт / Номер договора',
  setPassword: 'Сохранить пароль',
  changePassword: 'Изменить пароль',
  changeEmail: 'Изменить email',
  newEmail: 'Новый адрес электронной почты',
  confirmEmail: 'Подтвердить адрес',
  email: 'Электронная почта',
  registeredAt: 'Дата регистрации',
  myAccount: 'Мой кабинет',
  rulesTitle: 'Требования к паролю',
  rules: ['не менее 8 символов', 'буквы и цифры', 'не содержит логин'],
  confirmTitle: 'Подтверждение регистрации',
  confirmLead: 'Придумайте пароль для входа в личный кабинет. Логин: {login}.',
  confirmed: 'Регистрация подтверждена. Теперь вы можете войти в личный кабинет.',
  resetTitle: 'Смена пароля',
  resetLead: 'Для смены пароля введите ИИН / БИН и лицевой счёт / номер договора.',
  resetDone: 'Пароль изменён. Войдите с новым паролем.',
  forgotTitle: 'Восстановление пароля',
  forgotLead: 'Введите логин или адрес электронной почты, указанный при регистрации.',
  forgotSent:
    'Если такая учётная запись есть, на её адрес отправлено письмо со ссылкой для смены пароля. Ссылка действует 1 час.',
  emailConfirmTitle: 'Подтверждение нового адреса',
  emailConfirmLead: 'Подтвердите, что {email} — ваш новый адрес для писем личного кабинета.',
  emailChanged: 'Адрес электронной почты изменён.',
  emailChangeSent: 'На новый адрес {email} отправлена ссылка для подтверждения. Адрес изменится, когда вы её откроете.',
  passwordChanged: 'Пароль изменён.',
  passwordChangedElsewhere: 'Пароль изменён. На других устройствах, где был открыт кабинет, нужно войти снова.',
  emailPasswordHint: 'Чтобы сменить адрес, подтвердите, что это вы: введите текущий пароль.',
  signedOut: 'Вы вышли из личного кабинета.',
  errors: {
    badCredentials: 'Неверный логин или пароль.',
    locked:
      'Слишком много неудачных попыток входа с этого устройства или из этой сети. Отсюда вход временно закрыт: попробуйте через 15 минут или восстановите пароль по ссылке «Забыли пароль?».',
    busy: 'Слишком много попыток входа с этим логином. Подождите минуту и попробуйте снова.',
    blocked: 'Учётная запись заблокирована. Обратитесь в абонентский отдел.',
    notConfirmed: 'Регистрация ещё не подтверждена: откройте ссылку из письма.',
    linkInvalid: 'Ссылка недействительна или уже использована. Запросите новую.',
    linkExpired: 'Срок действия ссылки истёк. Запросите новую.',
    identityMismatch: 'ИИН / БИН или лицевой счёт / номер договора не совпадают с данными учётной записи.',
    passwordsDiffer: 'Пароли не совпадают.',
    tooShort: 'Пароль короче 8 символов.',
    tooLong: 'Пароль длиннее 128 символов.',
    lettersAndDigits: 'Пароль должен содержать буквы и цифры.',
    containsLogin: 'Пароль не должен содержать логин.',
    wrongCurrent: 'Текущий пароль указан неверно.',
    currentRequired: 'Введите текущий пароль.',
    badEmail: 'Укажите правильный адрес электронной почты.',
    sameEmail: 'Это ваш текущий адрес.',
    emailTaken: 'Этот адрес уже указан в другой учётной записи.',
    required: 'Заполните все поля.',
    tooMany: 'Слишком много запросов. Подождите несколько минут и попробуйте снова.',
    sessionExpired: 'Сеанс истёк. Войдите снова.',
    mailFailed: 'Не удалось отправить письмо. Попробуйте позже.',
  },
  mail: {
    confirmSubject: 'Подтверждение регистрации в личном кабинете',
    confirmBody:
      'Здравствуйте!\n\nВы зарегистрированы в личном кабинете абонента. Логин: {login}.\nЧтобы подтвердить регистрацию и задать пароль, откройте ссылку:\n{link}\n\nСсылка действует 72 часа. Если вы не регистрировались, не открывайте её.',
    resetSubject: 'Восстановление пароля личного кабинета',
    resetBody:
      'Здравствуйте!\n\nДля учётной записи {login} запрошена смена пароля.\nЧтобы задать новый пароль, откройте ссылку:\n{link}\n\nСсылка действует 1 час. Если вы не запрашивали смену пароля, ничего не делайте: пароль останется прежним.',
    emailSubject: 'Подтверждение нового адреса электронной почты',
    emailBody:
      'Здравствуйте!\n\nДля учётной записи {login} указан этот адрес.\nЧтобы подтвердить его, откройте ссылку:\n{link}\n\nСсылка действует 72 часа.',
    emailNoticeSubject: 'Адрес электронной почты изменён',
    emailNoticeBody:
      'Здравствуйте!\n\nАдрес электронной почты учётной записи {login} изменён на {email}. Письма личного кабинета теперь приходят туда.\nЕсли вы этого не делали, обратитесь в абонентский отдел.',
    signature: 'Абонентский отдел водоканала',
    // The monthly mailing of the charges breakdown (src-server/mailing.ts), with the PDF attached.
    breakdownSubject: '{utility}: расшифровка начислений за {monthYear}, лицевой счёт {account}',
    breakdownBody:
      'Здравствуйте!\n\nВо вложении — расшифровка начислений за {monthYear} по лицевому счёту {account} ({address}).\nК оплате: {toPay}.\n\nВы получаете это письмо, потому что подписаны на ежемесячную рассылку расшифровки. Чтобы отказаться от неё, обратитесь в абонентский отдел: {phone}.',
    breakdownCabinet: 'Личный кабинет абонента: {link}',
  },
};

export type WebTexts = typeof ru;

const kk: Catalogue<WebTexts> = {
  siteTitle: 'Абоненттің жеке кабинеті',
  languageName: 'Қазақша',
  login: 'Логин',
  loginHint: 'Дербес шот (жеке тұлғалар) немесе шарт нөмірі (заңды тұлғалар)',
  password: 'Құпиясөз',
  newPassword: 'Жаңа құпиясөз',
  newPasswordAgain: 'Жаңа құпиясөзді қайталаңыз',
  currentPassword: 'Ағымдағы құпиясөз',
  signIn: 'Кіру',
  signOut: 'Шығу',
  forgot: 'Құпиясөзді ұмыттыңыз ба?',
  loginOrEmail: 'Логин немесе электрондық пошта мекенжайы',
  sendLink: 'Сілтемені жіберу',
  iinBin: 'ЖСН / БСН',
  accountOrContract: 'Дербес шот / Шарт нөмірі',
  setPassword: 'Құпиясөзді сақтау',
  changePassword: 'Құпиясөзді өзгерту',
  changeEmail: 'Email өзгерту',
  newEmail: 'Жаңа электрондық пошта мекенжайы',
  confirmEmail: 'Мекенжайды растау',
  email: 'Электрондық пошта',
  registeredAt: 'Тіркелген күні',
  myAccount: 'Менің кабинетім',
  rulesTitle: 'Құпиясөзге қойылатын талаптар',
  rules: ['кемінде 8 таңба', 'әріптер мен цифрлар', 'логинді қамтымайды'],
  confirmTitle: 'Тіркелуді растау',
  confirmLead: 'Жеке кабинетке кіру үшін құпиясөз ойлап табыңыз. Логин: {login}.',
  confirmed: 'Тіркелу расталды. Енді жеке кабинетке кіре аласыз.',
  resetTitle: 'Құпиясөзді өзгерту',
  resetLead: 'Құпиясөзді өзгерту үшін ЖСН / БСН және дербес шотты / шарт нөмірін енгізіңіз.',
  resetDone: 'Құпиясөз өзгертілді. Жаңа құпиясөзбен кіріңіз.',
  forgotTitle: 'Құпиясөзді қалпына келтіру',
  forgotLead: 'Тіркелу кезінде көрсетілген логинді немесе электрондық пошта мекенжайын енгізіңіз.',
  forgotSent:
    'Мұндай есептік жазба болса, оның мекенжайына құпиясөзді өзгерту сілтемесі бар хат жіберілді. Сілтеме 1 сағат жарамды.',
  emailConfirmTitle: 'Жаңа мекенжайды растау',
  emailConfirmLead: '{email} — жеке кабинет хаттарына арналған жаңа мекенжайыңыз екенін растаңыз.',
  emailChanged: 'Электрондық пошта мекенжайы өзгертілді.',
  emailChangeSent: 'Жаңа {email} мекенжайына растау сілтемесі жіберілді. Сіз оны ашқанда мекенжай өзгереді.',
  passwordChanged: 'Құпиясөз өзгертілді.',
  passwordChangedElsewhere: 'Құпиясөз өзгертілді. Кабинет ашық болған басқа құрылғыларда қайта кіру керек.',
  emailPasswordHint: 'Мекенжайды өзгерту үшін бұл сіз екеніңізді растаңыз: ағымдағы құпиясөзді енгізіңіз.',
  signedOut: 'Сіз жеке кабинеттен шықтыңыз.',
  errors: {
    badCredentials: 'Логин немесе құпиясөз қате.',
    locked:
      'Осы құрылғыдан немесе осы желіден сәтсіз кіру әрекеттері тым көп. Мұнда кіру уақытша жабық: 15 минуттан кейін қайталаңыз немесе «Құпиясөзді ұмыттыңыз ба?» сілтемесі арқылы құпиясөзді қалпына келтіріңіз.',
    busy: 'Бұл логинмен кіру әрекеттері тым көп. Бір минут күтіп, қайталаңыз.',
    blocked: 'Есептік жазба бұғатталған. Абоненттік бөлімге хабарласыңыз.',
    notConfirmed: 'Тіркелу әлі расталмаған: хаттағы сілтемені ашыңыз.',
    linkInvalid: 'Сілтеме жарамсыз немесе бұрын пайдаланылған. Жаңасын сұраңыз.',
    linkExpired: 'Сілтеменің мерзімі өтті. Жаңасын сұраңыз.',
    identityMismatch: 'ЖСН / БСН немесе дербес шот / шарт нөмірі есептік жазба деректерімен сәйкес келмейді.',
    passwordsDiffer: 'Құпиясөздер сәйкес келмейді.',
    tooShort: 'Құпиясөз 8 таңбадан қысқа.',
    tooLong: 'Құпиясөз 128 таңбадан ұзын.',
    lettersAndDigits: 'Құпиясөзде әріптер мен цифрлар болуы керек.',
    containsLogin: 'Құпиясөзде логин болмауы керек.',
    wrongCurrent: 'Ағымдағы құпиясөз қате.',
    currentRequired: 'Ағымдағы құпиясөзді енгізіңіз.',
    badEmail: 'Электрондық пошта мекенжайын дұрыс көрсетіңіз.',
    sameEmail: 'Бұл сіздің ағымдағы мекенжайыңыз.',
    emailTaken: 'Бұл мекенжай басқа есептік жазбада көрсетілген.',
    required: 'Барлық өрістерді толтырыңыз.',
    tooMany: 'Сұраулар тым көп. Бірнеше минут күтіп, қайталаңыз.',
    sessionExpired: 'Сеанс аяқталды. Қайта кіріңіз.',
    mailFailed: 'Хатты жіберу мүмкін болмады. Кейінірек қайталаңыз.',
  },
  mail: {
    confirmSubject: 'Жеке кабинетте тіркелуді растау',
    confirmBody:
      'Сәлеметсіз бе!\n\nСіз абоненттің жеке кабинетінде тіркелдіңіз. Логин: {login}.\nТіркелуді растап, құпиясөз орнату үшін сілтемені ашыңыз:\n{link}\n\nСілтеме 72 сағат жарамды. Егер сіз тіркелмеген болсаңыз, оны ашпаңыз.',
    resetSubject: 'Жеке кабинет құпиясөзін қалпына келтіру',
    resetBody:
      'Сәлеметсіз бе!\n\n{login} есептік жазбасы үшін құпиясөзді өзгерту сұралды.\nЖаңа құпиясөз орнату үшін сілтемені ашыңыз:\n{link}\n\nСілтеме 1 сағат жарамды. Егер сіз сұрамаған болсаңыз, ештеңе істемеңіз: құпиясөз өзгермейді.',
    emailSubject: 'Жаңа электрондық пошта мекенжайын растау',
    emailBody:
      'Сәлеметсіз бе!\n\n{login} есептік жазбасы үшін осы мекенжай көрсетілді.\nОны растау үшін сілтемені ашыңыз:\n{link}\n\nСілтеме 72 сағат жарамды.',
    emailNoticeSubject: 'Электрондық пошта мекенжайы өзгертілді',
    emailNoticeBody:
      'Сәлеметсіз бе!\n\n{login} есептік жазбасының электрондық пошта мекенжайы {email} болып өзгертілді. Жеке кабинет хаттары енді сол мекенжайға келеді.\nЕгер мұны сіз жасамаған болсаңыз, абоненттік бөлімге хабарласыңыз.',
    signature: 'Су арнасының абоненттік бөлімі',
    breakdownSubject: '{utility}: {monthYear} үшін есептеулер, дербес шот {account}',
    breakdownBody:
      'Сәлеметсіз бе!\n\nҚосымшада — {account} дербес шоты ({address}) бойынша {monthYear} үшін есептеулердің толық жазбасы.\nТөлеуге: {toPay}.\n\nСіз бұл хатты есептеулердің ай сайынғы таратылымына жазылғандықтан алдыңыз. Одан бас тарту үшін абоненттік бөлімге хабарласыңыз: {phone}.',
    breakdownCabinet: 'Абоненттің жеке кабинеті: {link}',
  },
};

const en: Catalogue<WebTexts> = {
  siteTitle: 'Customer account',
  languageName: 'English',
  login: 'Login',
  loginHint: 'Account number (individuals) or contract number (organisations)',
  password: 'Password',
  newPassword: 'New password',
  newPasswordAgain: 'New password again',
  currentPassword: 'Current password',
  signIn: 'Sign in',
  signOut: 'Sign out',
  forgot: 'Forgot your password?',
  loginOrEmail: 'Login or email address',
  sendLink: 'Send the link',
  iinBin: 'IIN / BIN',
  accountOrContract: 'Account number / Contract number',
  setPassword: 'Save the password',
  changePassword: 'Change password',
  changeEmail: 'Change email',
  newEmail: 'New email address',
  confirmEmail: 'Confirm the address',
  email: 'Email',
  registeredAt: 'Registered on',
  myAccount: 'My account',
  rulesTitle: 'Password requirements',
  rules: ['at least 8 characters', 'letters and digits', 'does not contain the login'],
  confirmTitle: 'Confirm your registration',
  confirmLead: 'Choose a password to sign in to your account. Login: {login}.',
  confirmed: 'Your registration is confirmed. You can now sign in.',
  resetTitle: 'Change of password',
  resetLead: 'To change the password, enter your IIN / BIN and your account / contract number.',
  resetDone: 'The password has been changed. Sign in with the new password.',
  forgotTitle: 'Password recovery',
  forgotLead: 'Enter the login or the email address given at registration.',
  forgotSent:
    'If there is such an account, a letter with a link to change the password has been sent to its address. The link is valid for 1 hour.',
  emailConfirmTitle: 'Confirm the new address',
  emailConfirmLead: 'Confirm that {email} is your new address for the account’s letters.',
  emailChanged: 'The email address has been changed.',
  emailChangeSent:
    'A confirmation link has been sent to the new address {email}. The address changes when you open it.',
  passwordChanged: 'The password has been changed.',
  passwordChangedElsewhere:
    'The password has been changed. On other devices where your account was open, you need to sign in again.',
  emailPasswordHint: 'To change the address, confirm it is you: enter your current password.',
  signedOut: 'You have signed out.',
  errors: {
    badCredentials: 'Wrong login or password.',
    locked:
      'Too many failed sign-in attempts from this device or network. Signing in from here is paused: try again in 15 minutes, or reset your password with “Forgot your password?”.',
    busy: 'Too many sign-in attempts with this login. Wait a minute and try again.',
    blocked: 'The account is blocked. Please contact the customer service office.',
    notConfirmed: 'The registration is not confirmed yet: open the link in the letter.',
    linkInvalid: 'The link is invalid or has already been used. Ask for a new one.',
    linkExpired: 'The link has expired. Ask for a new one.',
    identityMismatch: 'The IIN / BIN or the account / contract number does not match the account’s details.',
    passwordsDiffer: 'The passwords do not match.',
    tooShort: 'The password is shorter than 8 characters.',
    tooLong: 'The password is longer than 128 characters.',
    lettersAndDigits: 'The password must contain letters and digits.',
    containsLogin: 'The password must not contain the login.',
    wrongCurrent: 'The current password is wrong.',
    currentRequired: 'Enter your current password.',
    badEmail: 'Enter a valid email address.',
    sameEmail: 'This is your current address.',
    emailTaken: 'This address is already given in another account.',
    required: 'Fill in all the fields.',
    tooMany: 'Too many requests. Wait a few minutes and try again.',
    sessionExpired: 'Your session has expired. Sign in again.',
    mailFailed: 'The letter could not be sent. Try again later.',
  },
  mail: {
    confirmSubject: 'Confirm your registration in the customer account',
    confirmBody:
      'Hello!\n\nYou have been registered in the customer account. Login: {login}.\nTo confirm the registration and set a password, open the link:\n{link}\n\nThe link is valid for 72 hours. If you did not register, do not open it.',
    resetSubject: 'Customer account password recovery',
    resetBody:
      'Hello!\n\nA change of password has been requested for the account {login}.\nTo set a new password, open the link:\n{link}\n\nThe link is valid for 1 hour. If you did not ask for it, do nothing: the password stays as it is.',
    emailSubject: 'Confirm your new email address',
    emailBody:
      'Hello!\n\nThis address has been given for the account {login}.\nTo confirm it, open the link:\n{link}\n\nThe link is valid for 72 hours.',
    emailNoticeSubject: 'Your email address has been changed',
    emailNoticeBody:
      'Hello!\n\nThe email address of the account {login} has been changed to {email}. The account’s letters now go there.\nIf you did not do this, please contact the customer service office.',
    signature: 'Customer service office of the water utility',
    breakdownSubject: '{utility}: charges for {monthYear}, account {account}',
    breakdownBody:
      'Hello!\n\nAttached is the breakdown of charges for {monthYear} on account {account} ({address}).\nTo pay: {toPay}.\n\nYou receive this letter because you are subscribed to the monthly breakdown. To unsubscribe, please contact the customer service office: {phone}.',
    breakdownCabinet: 'Customer account: {link}',
  },
};

export const webTexts: Record<WebLanguage, WebTexts> = defineCatalogue({ ru, kk, en });

/** The one formatter (src-shared/messages.ts). */
export { fill };

/**
 * The language of letters for an owner's language: Kazakh owners get Kazakh, everyone else Russian
 * (the rule of the desktop's PDFs, which the monthly mailing attaches).
 */
export function webLanguageOf(value: unknown): WebLanguage {
  return documentLanguageFor(value);
}

/** The language of the pages a visitor chose (the switch in the header, kept in a cookie): any of them. */
export function pageLanguageOf(value: unknown): WebLanguage {
  return webLanguages.includes(value as WebLanguage) ? (value as WebLanguage) : 'ru';
}
