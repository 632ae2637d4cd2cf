<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

use B24xero\Sync\Db\Database;

/** What the module's pages are built from for one request: the connection, the user's CRM reach, the options, today. */
final class UiContext
{
    public function __construct(
        public readonly Database $db,
        public readonly CrmAccess $access,
        public readonly OptionStore $options,
        public readonly ProductWriter $products,
        public readonly string $today,
    ) {
    }

    public function visibility(): InvoiceVisibility
    {
        return new InvoiceVisibility($this->access);
    }

    public function transactions(): TransactionsView
    {
        return new TransactionsView($this->db, $this->visibility(), $this->today);
    }

    public function problems(): ProblemsView
    {
        return new ProblemsView($this->db, $this->visibility());
    }

    public function runs(): RunsView
    {
        return new RunsView($this->db);
    }

    public function settings(): SettingsForm
    {
        return SettingsForm::load($this->options, $this->db);
    }

    public function invoicePanel(): InvoicePanel
    {
        return new InvoicePanel($this->db, $this->access);
    }
}
