// The contact topics every installation starts with (ru, kk, en), as SQL VALUES rows: written by the
// service's migration 13 and the desk's migration 13 (so a desk without a service has them too, and a
// service seeded from a desk's file gets the same rows). Frozen: both migrations have shipped with it;
// a change to the list is an administrator's (contactTopics.save) or a new migration's.
export const BUILT_IN_TOPICS_VALUES = `
    ('readings', 'Показания', 'Көрсеткіштер', 'Meter readings', 1, 10),
    ('debt', 'Задолженность и оплата', 'Қарыз және төлем', 'Debt and payment', 1, 20),
    ('statement', 'Квитанция, расшифровка, сверка', 'Түбіртек, толық жазба, салыстыру', 'Bill, breakdown, reconciliation', 1, 30),
    ('recalculation', 'Перерасчёт', 'Қайта есептеу', 'Recalculation', 1, 40),
    ('meter', 'Счётчик: замена, поверка', 'Есептегіш: ауыстыру, тексеру', 'Meter: replacement, verification', 1, 50),
    ('web', 'Личный кабинет', 'Жеке кабинет', 'Web account', 1, 60),
    ('complaint', 'Жалоба', 'Шағым', 'Complaint', 1, 70),
    ('other', 'Прочее', 'Басқа', 'Other', 1, 80)`;
