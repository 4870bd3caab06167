# Local Messenger, настольное приложение: русские тексты.
# Каждый ключ есть и в en.ftl (тест проверяет в обе стороны).
# Термины, формы множественного числа и тон — по RUSSIAN.md.

## Общие слова
send = Отправить
attach = Прикрепить
cancel = Отмена
close = Закрыть
delete = Удалить
loading = Загрузка…
unknown-user = Пользователь { $id }
picture = Изображение
picture-with-text = Изображение: { $text }
preview-mine = Вы: { $text }
size-gigabytes = { $size } ГБ
size-megabytes = { $size } МБ
size-kilobytes = { $size } КБ
size-bytes = { $size } Б
unread-messages = { $count ->
    [one] { $count } непрочитанное сообщение
    [few] { $count } непрочитанных сообщения
   *[many] { $count } непрочитанных сообщений
}

## Вход и регистрация
server-address = Адрес сервера
server-placeholder = например, http://192.168.1.10:8000
discovery-searching = Ищем серверы в сети…
discovery-none = В сети ни один сервер не ответил — введите адрес вручную.
discovery-found = Найдены в сети:
discovery-filled-in = В сети найден один сервер — его адрес подставлен:
login-pick-found = Выберите сервер из найденных в сети выше.
discovery-version = версия { $version }
login-field = Имя пользователя, e-mail или телефон
password-field = Пароль
username-field = Логин (латинские буквы, цифры, . _ -)
display-name-field = Отображаемое имя (необязательно)
school-name-field = Имя (необязательно)
school-email-field = E-mail (необязательно)
school-phone-field = Телефон (необязательно)
email-field = E-mail (необязательно)
phone-field = Телефон (необязательно)
new-password-field = Пароль (не меньше 8 символов)
repeat-password-field = Повторите пароль
log-in = Войти
create-account = Создать аккаунт
switch-to-register = Нет аккаунта? Создайте его
switch-to-log-in = Уже есть аккаунт? Войдите
connecting = Подключение…
connecting-to = Подключение к { $server }…
login-need-server = Введите адрес сервера, который дал преподаватель.
login-need-login = Введите логин и пароль.
login-need-username = Придумайте имя пользователя и пароль.
login-passwords-differ = Пароли не совпадают.
notice-logged-out = Вы вышли из аккаунта.
notice-settings-not-saved = На этом компьютере нет папки для настроек: настройки не будут сохранены.

## Повреждённый файл настроек
config-problem-title = Не удаётся прочитать настройки
config-damaged = Файл настроек повреждён. Можно сбросить настройки или продолжить, не меняя файл.
config-unusable = Файл настроек не удаётся прочитать или записать. Можно попробовать сбросить настройки или продолжить с настройками по умолчанию.
config-no-directory = На этом компьютере нет папки для настроек: настройки не будут сохранены.
config-reset = Сбросить настройки
config-continue = Продолжить

## Главное окно
contacts-filter = Поиск (Ctrl+F)
contacts-empty = Других пользователей пока нет.
contacts-no-match = Никого не найдено.
menu-open-chat = Открыть чат
menu-open-in-new-tab = Открыть в новой вкладке
no-chat-open = Выберите собеседника слева, чтобы начать переписку.
link-connected = Подключено
link-connecting = Подключение…
link-reconnecting = Нет соединения с сервером. Переподключение… (попытка { $attempt })
status-who = { $name } ({ $username })
# Тёзки в списке контактов, в заголовке чата и на вкладке.
contact-namesake = { $name } ({ $note })
contact-namesake-staff = { $username }, { $role }
open-settings = Настройки
log-out = Выйти

## Чат
show-older = Показать более ранние сообщения
show-newer = Показать более поздние сообщения
jump-to-latest = К последним сообщениям
loading-messages = Загрузка сообщений…
scroll-for-older = Прокрутите вверх, чтобы увидеть более ранние сообщения
chat-empty = Сообщений пока нет. Начните переписку.
chat-start = Это начало переписки.
loading-picture = Загрузка изображения…
mark-sent = ✓ доставлено
mark-read = ✓✓ прочитано
mark-sending = отправляется…
mark-not-sent = не отправлено: { $reason }
typing = { $name } печатает…
composer-placeholder = Сообщение… (Shift+Enter — новая строка)
remove-attachment = Убрать
sending-picture = Отправка…
draft-too-long = Сообщение слишком длинное: не больше { $max } символов.
draft-image-too-large = Изображение весит { $size }, а сервер принимает не больше { $max }.
menu-copy-text = Копировать текст
menu-save-picture = Сохранить изображение…
menu-delete = Удалить
menu-discard = Убрать
delete-title = Удалить сообщение?
delete-detail-own = Оно исчезнет у вас обоих.
delete-detail-moderator = Это чужое сообщение: вы удаляете его как модератор.
attach-dialog-title = Отправить файлы
attach-dialog-filter = Изображения
save-dialog-title = Сохранить изображение
picture-file-name = изображение-{ $id }
picture-saved = Изображение сохранено: { $path }
file-dialog-missing = На этом компьютере не открывается окно выбора файла. Перетащите файл в окно чата.
file-dialog-failed = Окно выбора файла не открылось: программа выбора файлов завершилась с ошибкой. Перетащите файл в окно чата.
file-too-large = Файл «{ $name }» весит { $size } — слишком много для изображения.
file-cannot-read = Не удаётся прочитать файл «{ $name }».
file-cannot-save = Не удаётся сохранить файл сюда. Выберите другую папку.
file-cannot-open = Не удаётся открыть { $path }: на компьютере нет подходящей программы.
file-open = Открыть
file-save-as = Сохранить как…
file-show-in-folder = Показать в папке
file-cancel = Отмена
file-dismiss = Убрать
file-not-sent = Не отправлен: { $reason }
file-progress = { $done } из { $size }
file-progress-speed = { $done } из { $size } · { $speed }/с
file-saved = Файл сохранён: { $path }
save-file-dialog-title = Сохранить файл
file-over-limit = Файл «{ $name }» не отправлен: он весит { $size }, а сервер принимает не больше { $max }.
file-type-blocked = Файл «{ $name }» не отправлен: файлы .{ $extension } в этой школе отправлять нельзя.
file-empty = Файл «{ $name }» не отправлен: он пустой.
file-bad-name = Файл «{ $name }» не отправлен: в его имени есть недопустимые символы. Переименуйте файл.

## В сети и даты
presence-online = в сети
presence-away = нет на месте
presence-offline = не в сети
last-seen-today = был(а) в сети сегодня в { $time }
last-seen-yesterday = был(а) в сети вчера в { $time }
last-seen-date = был(а) в сети { $date } в { $time }
day-today = Сегодня
day-yesterday = Вчера
date-this-year = { $day } { $month }
date-other-year = { $day } { $month } { $year }
weekday-monday = Понедельник
weekday-tuesday = Вторник
weekday-wednesday = Среда
weekday-thursday = Четверг
weekday-friday = Пятница
weekday-saturday = Суббота
weekday-sunday = Воскресенье
month-1 = января
month-2 = февраля
month-3 = марта
month-4 = апреля
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = августа
month-9 = сентября
month-10 = октября
month-11 = ноября
month-12 = декабря
wait-seconds = { $count ->
    [one] { $count } секунду
    [few] { $count } секунды
   *[many] { $count } секунд
}
wait-minutes = { $count ->
    [one] { $count } минуту
    [few] { $count } минуты
   *[many] { $count } минут
}

## Настройки
settings-title = Настройки
settings-language = Язык интерфейса
settings-notifications = Уведомления
settings-notifications-desktop = Показывать уведомления о новых сообщениях
settings-notifications-taskbar = Привлекать внимание на панели задач
settings-server = Адрес сервера
settings-server-note = Применится при следующем входе; текущее подключение не меняется.
settings-test-connection = Проверить подключение
settings-testing = Проверка…
settings-reachable = Сервер доступен: Local Messenger { $version }.
settings-not-ours = По этому адресу что-то отвечает, но это не сервер Local Messenger.
settings-about = О программе
settings-app-version = Local Messenger { $version }
settings-server-version = Сервер: { $version }
settings-version-unknown = неизвестно
settings-licenses = Свободная программа под лицензией MIT. Шрифт Noto Sans — SIL Open Font License 1.1.

## Ошибки: по одной на каждый код сервера и собственные ошибки приложения
error-unreachable = Сервер недоступен. Проверьте адрес и подключение к сети.
error-no-answer = Сервер не отвечает. Проверьте адрес или попробуйте позже.
error-file-read = Не удалось прочитать файл. Проверьте, что он открывается на этом компьютере.
error-file-read-missing = Файл не найден: его переместили или удалили.
error-file-read-denied = Нет доступа к этому файлу. Выберите другой файл.
error-file-write = Не удалось записать файл. Попробуйте ещё раз или выберите другую папку.
error-file-write-missing = Папки для файла больше нет. Выберите другую папку.
error-file-write-denied = Нет прав на запись в эту папку. Выберите другую папку.
error-file-write-full = На диске не хватает места. Освободите место или выберите другой диск.
error-cut-off = Выгрузка прервалась, не дойдя до конца, поэтому файл не сохранён. Выгрузите ещё раз.
error-not-our-server = По этому адресу отвечает не сервер Local Messenger. Проверьте адрес.
error-malformed_json = Сервер не понял запрос приложения. Обновите приложение.
error-invalid_body = Сервер не понял запрос приложения. Обновите приложение.
error-unsupported_media_type = Сервер не понял запрос приложения. Обновите приложение.
error-payload_too_large = Сервер не принимает запрос такого размера.
error-invalid_path = Сервер не знает такого запроса. Обновите приложение.
error-invalid_query = Сервер не знает такого запроса. Обновите приложение.
error-not_found = Сервер не знает такого запроса. Возможно, приложение новее сервера.
error-method_not_allowed = Сервер не знает такого запроса. Возможно, приложение новее сервера.
error-invalid_username = Имя пользователя — от 3 до 32 символов: латинские буквы, цифры, точка, подчёркивание или дефис, хотя бы одна буква.
error-invalid_password = Пароль должен содержать от 8 до 128 символов.
error-weak_password = Такой пароль легко угадать. Возьмите несколько не связанных слов или смешайте буквы и цифры.
error-wrong_password = Текущий пароль указан неверно.
error-password_changed = Пароль изменили на другом компьютере. Войдите с новым паролем.
error-avatar_not_found = У пользователя нет аватара.
error-notification_not_found = Этого уведомления больше нет.
error-invalid_notification = Нужны заголовок (до 120 символов, в одну строку) и текст (до 4 000 символов).
error-invalid_display_name = Отображаемое имя — от 1 до 64 символов, без служебных символов.
error-invalid_email = Это не похоже на адрес e-mail.
error-invalid_phone = Номер телефона — от 7 до 15 цифр, в начале можно поставить +.
error-username_taken = Это имя пользователя занято. Выберите другое.
error-email_taken = Аккаунт с таким e-mail уже есть.
error-phone_taken = Аккаунт с таким номером телефона уже есть.
error-invalid_credentials = Неверный логин или пароль.
error-account_disabled = Этот аккаунт заблокирован. Обратитесь к преподавателю или администратору.
error-too_many_attempts = Слишком много попыток входа. Попробуйте через несколько минут.
error-too_many_attempts-wait = Слишком много попыток входа. Попробуйте снова через { $wait }.
error-rate_limited = Слишком много запросов подряд. Подождите немного и попробуйте снова.
error-rate_limited-wait = Слишком много запросов подряд. Попробуйте снова через { $wait }.
error-missing_token = Сеанс завершён. Войдите снова.
error-invalid_token = Сеанс завершён. Войдите снова.
error-session_expired = Сеанс завершён. Войдите снова.
error-forbidden = У вас нет права на это действие.
error-user_not_found = Такого пользователя больше нет.
error-message_not_found = Этого сообщения больше нет.
error-attachment_not_found = Этого изображения больше нет.
error-file_not_found = Этого файла больше нет: сообщение с ним удалено.
error-file_too_large = Файл больше, чем принимает сервер.
error-quota_exceeded = Место для ваших файлов закончилось. Удалите ненужные сообщения с файлами или обратитесь к администратору.
error-file_type_blocked = Файлы такого типа в этой школе отправлять нельзя.
error-invalid_file_name = В имени файла есть недопустимые символы. Переименуйте файл.
error-empty_file = Файл пустой.
error-range_not_satisfiable = Файл на сервере короче, чем ожидалось. Скачайте его заново.
error-empty_message = Напишите сообщение или прикрепите изображение либо файл.
error-message_too_long = Сообщение слишком длинное (не больше 4 000 символов).
error-invalid_client_id = Сервер не понял сообщение приложения. Обновите приложение.
error-cannot_message_self = Нельзя отправить сообщение себе.
error-recipient_disabled = Этот аккаунт заблокирован и не может получать сообщения.
error-invalid_image = Этот файл не изображение или он повреждён.
error-unsupported_image_format = Такой формат изображений не поддерживается (подходят PNG, JPEG, GIF, BMP и WebP).
error-image_too_large = Изображение слишком большое для сервера.
error-not_your_message = Изменить сообщение может только его автор, а удалить — автор или модератор.
error-invalid_reason = Укажите причину — не длиннее 500 символов.
error-cannot_disable_self = Нельзя заблокировать собственный аккаунт.
error-last_admin = Так не останется ни одного активного пользователя, который может управлять ролями.
error-role_not_found = Такой роли больше нет.
error-permission_not_found = Такого права доступа нет.
error-invalid_role_name = Название роли — от 1 до 32 символов, без служебных символов.
error-invalid_permission_code = Код права доступа пишется как «раздел:действие»: латинские строчные буквы, цифры и подчёркивание.
error-role_name_taken = Роль с таким названием уже есть.
error-permission_code_taken = Право доступа с таким кодом уже есть.
error-builtin_role = Встроенные роли нельзя переименовать или удалить.
error-builtin_permission = Права доступа, которые проверяет сервер, нельзя переименовать или удалить.
error-role_in_use = Эта роль ещё назначена пользователям. Сначала назначьте им другую роль.
error-invalid_frame = Сервер не понял запрос приложения. Обновите приложение.
error-request_timeout = Сервер не дождался загрузки. Проверьте подключение к сети и попробуйте снова.
error-too_many_connections = Слишком много подключений с этого компьютера. Закройте другие копии приложения и попробуйте снова.
error-internal = Ошибка на сервере. Попробуйте ещё раз; если ошибка повторится, сообщите преподавателю.
error-service_unavailable = Сервер занят. Попробуйте через минуту.
error-unknown = Сервер отклонил запрос. Возможно, сервер новее приложения — обновите приложение.

## Вкладка «Администрирование»

open-admin = Администрирование
admin-title = Администрирование
notice-account-disabled = Ваш аккаунт заблокирован: { $reason }
date-time = { $date } { $time }
admin-overview = Обзор
admin-users = Пользователи
admin-messages = Сообщения
admin-logins = История входов
admin-roles = Роли
admin-audit = Журнал действий
admin-search = Найти
admin-refresh = Обновить
admin-load-more = Показать ещё
admin-nothing-found = Ничего не найдено.
admin-none = —
admin-never = никогда
admin-back = ← Назад
admin-save = Сохранить
admin-rename = Переименовать
admin-figure-accounts = { $count ->
    [one] аккаунт
    [few] аккаунта
   *[many] аккаунтов
}
admin-figure-online = в сети сейчас
admin-figure-today = { $count ->
    [one] сообщение сегодня
    [few] сообщения сегодня
   *[many] сообщений сегодня
}
admin-figure-week = { $count ->
    [one] сообщение за неделю
    [few] сообщения за неделю
   *[many] сообщений за неделю
}
admin-figure-total = { $count ->
    [one] сообщение всего
    [few] сообщения всего
   *[many] сообщений всего
}
admin-figure-storage = размер базы данных
admin-chart-days = Сообщения по дням
admin-chart-hours = Самые загруженные часы (за 30 дней)
admin-accounts-by-role = Аккаунты по ролям
admin-column-role = Роль
admin-column-files-size = Занимают
admin-files-heading = Файлы в чатах: { $size }
admin-files-none = Файлов пока никто не отправлял.
admin-search-index-behind = Поисковый индекс догоняет: { $count ->
    [one] { $n } сообщение ещё не проиндексировано
    [few] { $n } сообщения ещё не проиндексированы
   *[many] { $n } сообщений ещё не проиндексированы
}. Поиск их находит, но медленнее.
admin-column-active = Активны
admin-column-disabled = Заблокированы
admin-column-username = Логин
admin-column-name = Имя
admin-column-status = Состояние
admin-column-last-login = Последний вход
admin-column-online = В сети
admin-column-when = Когда
admin-column-change = Изменение
admin-column-by = Кто изменил
admin-column-result = Результат
admin-column-ip = IP-адрес
admin-column-client = Программа
admin-column-login = Логин
admin-column-with = Собеседник
admin-column-messages = Сообщений
admin-column-last-message = Последнее сообщение
admin-column-permission = Право доступа
admin-column-when-from = Когда и откуда
admin-column-who = Кто
admin-column-action = Действие
admin-column-whom = Кому
admin-column-details = Подробности
admin-user-search = Логин, имя, e-mail или телефон
admin-status-any = Все
admin-status-active = Активен
admin-status-disabled = Заблокирован
admin-email = E-mail
admin-phone = Телефон
admin-created = Создан
admin-messages-sent = Отправлено сообщений
admin-last-login-from = { $at }, с адреса { $ip }
admin-disabled-reason = Причина блокировки
admin-reason = Причина
admin-change-role = Сменить роль
admin-disable = Заблокировать
admin-enable = Разблокировать
admin-disable-start = Заблокировать…
admin-disable-confirm = Заблокировать пользователя { $name }? Все сеансы этого пользователя сразу завершатся, а войти снова получится только после разблокировки.
admin-disable-reason = Причина (её покажут при попытке войти)
admin-role-reason = Причина смены роли
admin-role-history = История ролей
admin-no-role-changes = Роль не менялась.
admin-conversations = Переписки
admin-no-conversations = Переписок нет.
admin-filter-user = Участник
admin-filter-with = Собеседник
admin-filter-anyone = Любой
admin-filter-text = Текст сообщения
admin-filter-from = с дд.мм.гггг
admin-filter-to = по дд.мм.гггг
admin-filter-pictures = Только с изображениями
admin-filter-files = Только с файлами
admin-export = Выгрузить:
admin-export-csv = CSV
admin-export-json = JSON
admin-export-file = сообщения
admin-exported = Сохранено: { $path } ({ $size })
admin-open-conversation = Открыть переписку
admin-delete-confirm = Удалить сообщение?
admin-deleted-at = Удалено { $at }
admin-logins-any = Все попытки
admin-logins-succeeded = Успешные
admin-logins-failed = Неудачные
admin-login-ok = Вход выполнен
admin-login-refused-times = { $count ->
    [one] { $count } попытка: { $reason }
    [few] { $count } попытки: { $reason }
   *[many] { $count } попыток: { $reason }
}
admin-unknown-login = неизвестный логин (#{ $hash })
admin-role-holders = { $count ->
    [one] { $count } пользователь
    [few] { $count } пользователя
   *[many] { $count } пользователей
}
admin-role-builtin = встроенная роль
admin-roles-list = Список ролей
admin-new-role = Название новой роли
admin-create-role = Создать роль
admin-audit-any = Все действия
audit-user-disabled = Заблокировал(а) аккаунт
audit-user-enabled = Разблокировал(а) аккаунт
audit-role-changed = Сменил(а) роль
audit-role-created = Создал(а) роль
audit-role-updated = Изменил(а) роль
audit-role-deleted = Удалил(а) роль
audit-permission-created = Создал(а) право доступа
audit-permission-updated = Изменил(а) право доступа
audit-permission-deleted = Удалил(а) право доступа
audit-messages-read = Читал(а) сообщения
audit-conversations-listed = Смотрел(а) список переписок
audit-messages-exported = Выгрузил(а) сообщения
audit-message-deleted = Удалил(а) чужое сообщение
audit-unknown = Другое действие
audit-detail-reason = причина
audit-detail-from = было
audit-detail-to = стало
audit-detail-role = роль
audit-detail-name = название
audit-detail-description = описание
audit-detail-permission = право
audit-detail-permissions = права
audit-detail-code = код
audit-detail-user = участник
audit-detail-with = собеседник
audit-detail-q = текст
audit-detail-from-time = с
audit-detail-to-time = по
audit-detail-has-image = только изображения
audit-detail-before = до сообщения
audit-detail-after = после сообщения
audit-detail-format = формат
audit-detail-message = сообщение
audit-detail-picture = изображение
audit-detail-recipient = получатель
permission-user-read = Видеть все аккаунты с e-mail и телефоном, искать пользователей
permission-user-write = Блокировать и разблокировать аккаунты, менять чужие профили
permission-user-delete = Удалять аккаунты
permission-role-manage = Создавать и менять роли и права доступа, назначать роли
permission-notification-send = Отправлять уведомления и объявления
permission-report-view = Смотреть историю входов, журнал действий и обзор
permission-message-read_all = Читать все переписки
permission-message-delete_any = Удалять любые сообщения

## Профиль
open-profile = Профиль
profile-title = Профиль
profile-username = Имя пользователя (логин): { $username }
profile-details = Личные данные
profile-display-name = Отображаемое имя
profile-email = E-mail
profile-phone = Телефон
profile-save = Сохранить
profile-saved = Сохранено.
profile-avatar-choose = Выбрать изображение…
profile-avatar-save = Сохранить аватар
profile-avatar-remove = Удалить аватар
profile-avatar-dialog = Выбрать аватар
profile-avatar-hint = Или перетащите изображение в окно. Сервер вырежет из центра квадрат.
profile-avatar-preview = Так выглядит выбранное изображение. Сохраните его или отмените.
profile-avatar-saved = Аватар обновлён.
profile-password = Пароль
profile-password-rule = Не меньше 8 символов. Надёжнее всего несколько не связанных слов.
profile-password-note = Пароль сменится везде: на других компьютерах нужно будет войти заново.
profile-password-changed = { $count ->
    [0] Пароль изменён.
    [one] Пароль изменён. Завершён { $count } сеанс на других компьютерах.
    [few] Пароль изменён. Завершено { $count } сеанса на других компьютерах.
   *[many] Пароль изменён. Завершено { $count } сеансов на других компьютерах.
}
password-current = Текущий пароль
password-new = Новый пароль
password-repeat = Новый пароль ещё раз
password-mismatch = Пароли не совпадают.
password-change = Сменить пароль
password-too-short = Слишком короткий: нужно не меньше 8 символов.
password-weak = Слабый: такой пароль легко угадать.
password-fair = Неплохой. Длиннее — надёжнее.
password-strong = Надёжный.

## Уведомления и объявления
open-notifications = Уведомления
notifications-title = Уведомления
notifications-empty = Уведомлений пока нет.
notifications-load-more = Показать ещё
notification-important = ВАЖНОЕ
notification-new = новое
notification-sender-gone = удалённый аккаунт
notification-byline = { $sender } → { $audience } · { $when }
audience-everyone = всем
audience-role-named = роли «{ $role }»
audience-you = вам
banner-open = Открыть
banner-dismiss = Скрыть
announce-open = Сделать объявление
announce-title = Объявление
announce-to = Кому
announce-to-everyone = Всем
announce-to-role = Роли
announce-to-user = Одному пользователю
announce-pick-role = Выберите роль
announce-pick-user = Выберите пользователя
announce-title-placeholder = Заголовок
announce-text-placeholder = Текст объявления
announce-important = Важное: показать баннером, пока не закроют
announce-preview = Так его увидят получатели:
announce-send = Отправить
announce-sent = { $count ->
    [one] Объявление отправлено: { $count } получатель.
    [few] Объявление отправлено: { $count } получателя.
   *[many] Объявление отправлено: { $count } получателей.
}
role-admin = Администратор
role-moderator = Модератор
role-teacher = Преподаватель
role-user = Пользователь
admin-save-profile = Сохранить профиль
admin-remove-avatar = Удалить аватар
audit-profile-edited = Изменил(а) чужой профиль
audit-avatar-removed = Удалил(а) чужой аватар
audit-notification-sent = Отправил(а) уведомление
audit-detail-title = заголовок
audit-detail-audience = кому
audit-detail-recipients = получателей
audit-detail-display-name = имя
audit-detail-email = e-mail
audit-detail-phone = телефон

## Школьный режим
error-messaging_not_allowed = На этом сервере ученики пишут преподавателям и отвечают тем, кто написал им первым.
error-password_change_required = Это временный пароль. Чтобы войти, придумайте свой.
error-password_reset = Ваш пароль сброшен. Войдите с временным паролем, который вам выдали.
error-registration_closed = Аккаунты на этом сервере создаёт администрация. Попросите аккаунт у преподавателя.
error-looks_like_staff = Это имя похоже на имя преподавателя или администратора. Выберите другое.
error-invalid_search = В тексте поиска не может быть невидимых управляющих символов. Введите слова, которые ищете.
error-invalid_import = Некоторые строки файла нельзя импортировать, поэтому не импортирована ни одна. Проверьте файл и попробуйте снова.
login-need-new-password = Введите новый пароль.
choose-password-title = Придумайте пароль
choose-password-why = У пользователя { $login } временный пароль. Придумайте свой: не короче 8 символов и не из простых. Дальше вы будете входить с ним.
save-password-and-log-in = Сохранить пароль и войти
registration-closed-hint = Аккаунты создаёт администрация. Если у вас его нет, обратитесь к преподавателю.
contact-cannot-write = Начать переписку с этим пользователем нельзя: на этом сервере ученики пишут преподавателям. Если этот пользователь напишет вам первым, вы сможете ответить.
admin-school = Школа
admin-password = Пароль
admin-password-temporary = временный, ещё не изменён
admin-reset-password = Сбросить пароль
admin-reset-password-confirm = Сбросить пароль пользователя { $name }? Все сеансы этого пользователя сразу завершатся, а при следующем входе нужно будет придумать новый пароль.
admin-temporary-password = Временный пароль:
admin-temporary-password-how = Передайте его пользователю. Пароль показан только сейчас; при следующем входе пользователь придумает свой.
school-who-writes = Кто кому может писать
school-messaging-open = Все пишут всем
school-messaging-open-explained = Для кружка или учительской: любой может начать переписку с любым.
school-messaging-staff = Ученики пишут только преподавателям
school-messaging-staff-explained = Ученики начинают переписку только с преподавателями, модераторами и администраторами и отвечают тем, кто написал им первым. Преподаватели пишут кому угодно. В своих группах ученики пишут как обычно.
school-registration = Регистрация
school-registration-open = Создать аккаунт может любой
school-registration-open-explained = На экране входа всем, кто подключился к серверу, доступна кнопка «Создать аккаунт».
school-registration-closed = Аккаунты создаёт администрация
school-registration-closed-explained = Кнопки «Создать аккаунт» на экране входа больше нет. Добавляйте пользователей ниже или импортируйте список класса.
school-add-user = Добавить пользователя
school-role = Роль
school-create-account = Создать аккаунт
school-account-created = Аккаунт { $username } создан.
school-first-password = Первый пароль:
school-shown-once = Передайте его пользователю. Пароль показан только сейчас; при первом входе пользователь придумает свой.
school-import = Импорт списка класса
school-import-how = Файл CSV в том виде, в каком его сохраняют Excel или LibreOffice (через запятую или точку с запятой), по одному ученику в строке: имя пользователя, отображаемое имя, e-mail, телефон, роль, класс (ученик попадёт в группу класса). Первой может идти строка с названиями столбцов; e-mail, телефон, роль и класс можно не заполнять (тогда роль — «Пользователь»). Пока вы не проверите предпросмотр, ничего не сохраняется.
school-choose-file = Выбрать файл…
school-checking = Проверяем { $file }…
school-import-ready = { $file }: { $count ->
    [one] { $count } аккаунт готов к импорту.
    [few] { $count } аккаунта готовы к импорту.
   *[many] { $count } аккаунтов готовы к импорту.
}
school-import-refused = { $file }: { $count ->
    [one] { $count } ошибка.
    [few] { $count } ошибки.
   *[many] { $count } ошибок.
} Исправьте файл и выберите его снова; ничего не сохранено.
school-import-rows = { $count ->
    [one] Импортировать { $count } аккаунт
    [few] Импортировать { $count } аккаунта
   *[many] Импортировать { $count } аккаунтов
}
school-importing = Импортируем { $file }: { $count ->
    [one] { $count } аккаунт.
    [few] { $count } аккаунта.
   *[many] { $count } аккаунтов.
} Каждый пароль шифруется отдельно, это займёт некоторое время.
school-imported = { $count ->
    [one] Создан { $count } аккаунт.
    [few] Создано { $count } аккаунта.
   *[many] Создано { $count } аккаунтов.
}
school-save-passwords-why = Сохраните первые пароли сейчас, чтобы распечатать и раздать: они показаны только один раз. При первом входе каждый придумает свой.
school-save-passwords = Сохранить пароли…
school-passwords-saved = Сохранено: { $path }.
school-passwords-file-name = пароли
school-column-line = Строка
school-column-password = Пароль
school-problem-in-column = Строка { $line }, { $column }: { $reason }
school-problem = Строка { $line }: { $reason }
audit-settings-changed = Изменил(а) настройки школы
audit-account-created = Создал(а) аккаунт
audit-accounts-imported = Импортировал(а) список класса
audit-password-reset = Сбросил(а) пароль
audit-detail-messaging = кто кому пишет
audit-detail-registration = регистрация
audit-detail-username = имя пользователя
audit-detail-accounts = аккаунтов
permission-message-start_any = Начинать переписку с кем угодно при любых настройках
contact-cannot-write-first = Написать первым нельзя
school-problem-unknown-role = Такой роли на сервере нет.
school-problem-role-not-yours = Эту роль вы выдать не можете: она даёт больше прав, чем ваша.
choose-password-back = Вернуться ко входу

## Запуск без экрана (текст выводится в терминал)
no-screen = «Локальный мессенджер» открывается в окне, а экрана для окна здесь нет (не заданы ни DISPLAY, ни WAYLAND_DISPLAY). Запустите его из меню рабочего стола или из терминала внутри графического сеанса.

## Группы
group-new = Новая группа
group-new-title = Новая группа
group-settings-title = Настройки группы
group-settings = Настройки группы
group-title-placeholder = Название группы, например «9А» или «Проект: робототехника»
group-posting = Кто пишет в группу
group-posting-everyone = Все участники
group-posting-owners = Только владельцы (канал класса)
group-pick-members = { $count ->
    [one] Выбран { $count } человек
    [few] Выбрано { $count } человека
   *[many] Выбрано { $count } человек
}
group-pick-shown = Выбрать всех найденных
group-search = Найти по имени или логину
group-create = Создать группу
group-save = Сохранить
group-unknown = Группа { $id }
group-members-count = { $count ->
    [one] { $count } участник
    [few] { $count } участника
   *[many] { $count } участников
}
group-members-title = Участники
group-owner = владелец
group-owners-only-short = пишут только владельцы
group-owners-only-note = В этой группе пишут только владельцы. Вы можете читать сообщения и отвечать лично.
group-read-count = прочитали { $read } из { $count }
group-read-by = Прочитали: { $names }
group-read-nobody = Ещё никто не прочитал
group-muted-mark = без звука
typing-two = { $first } и { $second } печатают…
typing-many = { $count ->
    [one] { $count } участник печатает…
    [few] { $count } участника печатают…
   *[many] { $count } участников печатают…
}
menu-reply-privately = Ответить лично
menu-write-privately = Написать лично
menu-make-owner = Сделать владельцем
menu-make-member = Сделать участником
menu-remove-from-group = Исключить из группы
menu-mute = Отключить звук
menu-unmute = Включить звук
menu-group-settings = Настройки группы
menu-leave-group = Выйти из группы
error-group_not_found = Такой группы нет, или вы в ней не состоите.
error-owners_only_group = В этой группе пишут только владельцы.
error-not_group_owner = Менять группу могут только её владельцы.
error-invalid_group_title = Название группы — от 1 до 100 символов, без служебных символов.
error-duplicate_members = Один и тот же человек выбран дважды.
error-group_too_large = В группе не может быть столько участников.
error-cannot_leave_class_group = Из группы своего класса выйти нельзя.
error-last_group_owner = У группы должен остаться владелец: сначала назначьте другого.
permission-group-create = Создавать группы
permission-group-manage_any = Управлять любой группой: участники, настройки, история
audit-group-created = Создал(а) группу
audit-group-changed = Изменил(а) группу
audit-group-members-changed = Изменил(а) состав группы
audit-group-deleted = Удалил(а) группу
audit-detail-group = группа
audit-detail-members = участников
audit-detail-added = добавлены
audit-detail-removed = исключён(а)
audit-detail-posting = кто пишет
audit-detail-class = класс
audit-detail-read = что смотрел(а)
admin-in-group = группа «{ $title }»
group-pick-group = Выбрать всех из группы «{ $title }»
group-delete = Удалить группу
group-delete-confirm = Удалить группу?

## Поиск, ответы, правка и пересылка сообщений
menu-reply = Ответить
menu-edit = Изменить
menu-forward = Переслать…
forwarded-from = Переслано · { $name }
message-edited = изменено
quote-deleted = Сообщение удалено
quote-picture = Изображение
composer-replying = Ответ на сообщение
composer-editing = Редактирование сообщения
composer-editing-hint = Enter — сохранить, Esc — отменить
save-edit = Сохранить
forward-title = Переслать сообщение
forward-filter-placeholder = Кому: имя, логин или группа
forward-group = Группа «{ $title }»
search-messages-title = СООБЩЕНИЯ
search-messages-short = Чтобы искать в сообщениях, введите хотя бы 3 символа.
search-messages-searching = Ищем…
search-messages-none = В ваших чатах такого нет.
search-hit-you = Вы
admin-edited-at = Изменено { $at }. Прежние версии:
admin-version = { $at }: { $text }
error-edit_window_passed = Сообщение уже нельзя изменить: прошло слишком много времени.
error-cannot_edit_forwarded = Пересланное сообщение изменить нельзя: это чужие слова.
error-reply_outside_conversation = Ответить можно только на сообщение из этого же чата.
error-invalid_forward = Пересланное сообщение уходит без своего текста и вложений. Напишите их отдельным сообщением.
error-query_too_short = Для поиска введите хотя бы 3 символа.
